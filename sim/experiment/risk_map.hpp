// `outagesim risk SCENARIO`: the systemic-risk map (docs/risk.md). Every
// case of risk_cases() becomes one point of a generated sweep (plus a point
// with no fault, the baseline), run by the experiment layer in DIR/experiment
// (journal, resume, results.csv, summary.csv: docs/experiments.md); the
// records are then ranked by blast radius into risk.csv, and the scenario's
// population gives concentration.csv. With a mitigation to vary, the map runs
// again at each of its levels (DIR/mitigation) into mitigation.csv; risk.html
// draws all three.
#pragma once

#include "mpi_dispatch.hpp"
#include "risk_cases.hpp"
#include "run_record.hpp"

#include "sim/scenario/loader.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace outagesim::experiment {

/// A mitigation swept across the whole map (docs/risk.md, "Mitigation
/// curves"): a value of the scenario by the `--set` path syntax, and its levels.
struct RiskVariation {
  std::string path;
  std::vector<std::string> values;  ///< YAML scalars or flow values, in the curve's order
};

/// `--vary PATH=[V1, V2, ...]`; throws std::invalid_argument saying what was expected.
RiskVariation parse_variation(const std::string& argument);

struct RiskOptions {
  std::string scenario;  ///< path of the scenario file
  std::filesystem::path out;
  unsigned jobs = 1;
  std::vector<FaultTemplate> templates{FaultTemplate::outage, FaultTemplate::bad_push, FaultTemplate::regional};
  std::size_t replications = 1;
  std::optional<RiskVariation> vary;
  std::vector<scenario::Override> overrides;  ///< `--set`, applied to the scenario before anything else
  bool progress = false;
  /// Under `mpirun ... risk --mpi`: the sweeps' runs go out over the ranks
  /// (mpi_sweep.hpp); rank 0 alone writes. None: forked runs on this machine.
  const MpiSession* mpi = nullptr;
  /// Write the generated sweeps and stop, for running them elsewhere (a
  /// SLURM job array, docs/clusters.md); a later run ranks their journals.
  bool prepare_only = false;
};

/// One row of risk.csv: a case's blast radius over its replications.
struct RiskRow {
  std::size_t rank = 0;  ///< 1 = the largest request-weighted availability lost
  const RiskCase* risk_case = nullptr;
  std::size_t runs = 0, ok = 0;
  /// Per measure (risk_measures order): mean and its 95% interval (empty for n < 2).
  struct Measure {
    std::optional<double> mean, ci95_low, ci95_high;
  };
  std::vector<Measure> measures;
  double exposed_rps_share = 0;                ///< static: request share of the sites whose dependencies reach it
  std::optional<double> indirect_exposure_share;  ///< static: of which only through another service
};

/// The measures of risk.csv, in column order.
const std::vector<std::string>& risk_measures();

/// One point of a mitigation curve: a case's blast radius at one level.
struct MitigationPoint {
  std::size_t level = 0;
  std::string value;  ///< as given
  double x = 0;       ///< its number (the value before its unit, or its position in a list of words)
  RiskRow row;        ///< its rank is within the level
  std::optional<double> knee_distance;  ///< set on the curve's knee (knee.hpp), by availability_lost
};

struct RiskOutcome {
  std::size_t cases = 0;
  std::size_t runs = 0;  ///< the map's and the mitigation sweep's
  std::size_t resumed = 0;
  std::size_t failed = 0;
  bool prepared_only = false;  ///< the sweeps were written, not run
  /// The generated sweeps' specs (the mitigation's when there is one).
  std::filesystem::path map_spec, mitigation_spec;
};

/// Runs the map; throws scenario::ScenarioError (the scenario), JournalError
/// and metrics::OutputError as `outagesim sweep` does.
RiskOutcome run_risk_map(const RiskOptions& options, std::ostream& log);

/// risk.csv's rows, ranked, from the sweep's records (sorted by id;
/// point 0 the baseline, point k the case k - 1).
std::vector<RiskRow> rank_risks(const std::vector<RiskCase>& cases, const std::vector<RunRecord>& records,
                                std::size_t replications, double total_rps, double fault_at_s,
                                const world::World& world);

void write_risk_csv(std::ostream& out, const std::vector<RiskRow>& rows);

/// mitigation.csv's points, by case (in `cases` order) then level, from the
/// mitigation sweep's records (grid: the level outer, then the baseline and
/// the cases as in rank_risks); `x` gives each level's number.
std::vector<MitigationPoint> mitigation_curves(const std::vector<RiskCase>& cases,
                                               const std::vector<RunRecord>& records, const RiskVariation& vary,
                                               const std::vector<double>& x, std::size_t replications,
                                               double total_rps, double fault_at_s, const world::World& world);

void write_mitigation_csv(std::ostream& out, const std::string& path, const std::vector<MitigationPoint>& points);

}  // namespace outagesim::experiment
