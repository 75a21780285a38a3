// The `outagesim` subcommands. Each returns the process exit code:
// 0 success, 2 bad input (diagnostics on stderr), 1 internal error.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace outagesim::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_internal_error = 1;
inline constexpr int exit_bad_input = 2;
/// `sweep`: every run has its record, and at least one failed (docs/exit-codes.md).
inline constexpr int exit_runs_failed = 3;

/// What a command prints on stdout (docs/outputs.md, "On stdout").
struct Output {
  bool json = false;   ///< one JSON object instead of the terminal summary
  bool quiet = false;  ///< nothing but errors (on stderr), and no progress line
};

struct RunOptions {
  std::string scenario;
  std::string out;                     ///< empty: runs/<scenario>-<seed>
  std::vector<std::string> overrides;  ///< "path=value"
  std::vector<std::string> command_line;
  Output output;
  bool force = false;  ///< replace a run directory made by another command line
  std::vector<std::string> observed;  ///< published-series files drawn in report.html
};

struct CompareOptions {
  std::string run_a;
  std::string run_b;
  std::string out;  ///< empty: runs/compare-<A name>-vs-<B name>
  Output output;
};

struct EnsembleOptions {
  std::vector<std::string> run_dirs;  ///< runs of one scenario, different seeds
  std::string out;                    ///< empty: runs/ensemble-<scenario>
  Output output;
};

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> overrides;  ///< "path=value"; --seed comes as scenario.seed=N
  Output output;
  /// Run the scenario quietly (no files) to say when its failovers, health
  /// gates and detections trigger; only when it declares any.
  bool simulate = true;
};

struct NewOptions {
  std::string template_name;  ///< one of starter_templates()
  std::string name;           ///< NAME, written to NAME.yaml
};

struct SweepCommandOptions {
  std::string spec;
  std::string out;  ///< empty: runs/sweep-<name>
  unsigned jobs = 1;
  bool keep_all_runs = false;
  std::vector<std::size_t> keep_runs;
  bool mpi = false;   ///< under mpirun: runs handed out over the ranks
  std::string shard;  ///< "I/N", or empty: every run
};

struct SweepMergeOptions {
  std::vector<std::string> shard_dirs;
  std::string out;
  std::string spec;  ///< empty: the spec file the shards recorded
};

struct RiskCommandOptions {
  std::string scenario;
  std::string out;  ///< empty: runs/risk-<scenario name>
  unsigned jobs = 1;
  std::vector<std::string> faults;  ///< template names; empty: every template
  std::size_t replications = 1;
  std::string vary;  ///< PATH=[V1, V2, ...]; empty: no mitigation curves
  std::vector<std::string> overrides;  ///< --set path=value, applied to the scenario before the map
  bool mpi = false;      ///< under mpirun: the runs go out over the ranks (docs/clusters.md)
  bool prepare = false;  ///< write the generated sweeps and stop (SLURM, docs/clusters.md)
};

int run_command(const RunOptions& options);
int risk_command(const RiskCommandOptions& options);
int new_command(const NewOptions& options);
/// The templates `new` offers and an example, for its --help.
std::string new_command_help();
std::vector<std::string> starter_template_names();
int sweep_command(const SweepCommandOptions& options);
int sweep_merge_command(const SweepMergeOptions& options);
int compare_command(const CompareOptions& options);
int ensemble_command(const EnsembleOptions& options);
int validate_command(const ValidateOptions& options);

}  // namespace outagesim::cli
