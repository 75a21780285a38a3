// `outagesim risk SCENARIO`: the systemic-risk map (docs/risk.md), run
// through the experiment layer; says why not (docs/exit-codes.md).
#include "commands.hpp"
#include "mpi_option.hpp"

#include "sim/experiment/journal.hpp"
#include "sim/experiment/mpi_dispatch.hpp"
#include "sim/experiment/risk_map.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace outagesim::cli {

int risk_command(const RiskCommandOptions& options) {
  // Under --mpi every rank runs this function; rank 0 alone speaks and
  // writes (as for `sweep --mpi`). Every check reads the same files on every
  // rank, so all ranks give up together.
  std::unique_ptr<experiment::MpiSession> mpi;
  if (!open_mpi_session(options.mpi, mpi)) return exit_bad_input;
  const bool speaks = !mpi || mpi->rank() == 0;
  std::ostringstream silent;
  std::ostream& err = speaks ? std::cerr : silent;

  experiment::RiskOptions risk;
  risk.scenario = options.scenario;
  risk.jobs = options.jobs;
  risk.replications = options.replications;
  risk.progress = speaks && isatty(STDERR_FILENO) == 1;
  risk.mpi = mpi.get();
  risk.prepare_only = options.prepare;
  if (!options.faults.empty()) {
    risk.templates.clear();
    for (const auto& name : options.faults) {
      experiment::FaultTemplate t{};
      if (!experiment::parse_template(name, t)) {  // CLI11 checked the names already
        err << fmt::format("outagesim: error: --fault {}: expected outage, bad_push or regional\n", name);
        return exit_bad_input;
      }
      if (std::find(risk.templates.begin(), risk.templates.end(), t) == risk.templates.end()) risk.templates.push_back(t);
    }
  }
  try {
    for (const auto& o : options.overrides) risk.overrides.push_back(scenario::parse_override(o));
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) err << d.to_string() << '\n';
    return exit_bad_input;
  }
  if (!options.vary.empty()) {
    try {
      risk.vary = experiment::parse_variation(options.vary);
    } catch (const std::invalid_argument& e) {
      err << fmt::format("outagesim: error: --vary {}: {}\n", options.vary, e.what());
      return exit_bad_input;
    }
  }
  std::string name = std::filesystem::path(options.scenario).stem().string();
  risk.out = options.out.empty() ? std::filesystem::path("runs") / ("risk-" + name) : std::filesystem::path(options.out);
  std::error_code ec;
  if (std::filesystem::exists(risk.out, ec) && !std::filesystem::is_directory(risk.out, ec)) {
    err << fmt::format("outagesim: error: --out {}: exists and is not a directory\n", risk.out.string());
    return exit_bad_input;
  }
  experiment::RiskOutcome outcome;
  try {
    outcome = experiment::run_risk_map(risk, err);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) err << d.to_string() << '\n';
    return exit_bad_input;
  } catch (const experiment::JournalError& e) {
    err << "outagesim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (!speaks) return exit_ok;
  if (outcome.prepared_only) {
    std::cout << fmt::format("risk {}: {} cases, {} runs prepared in {}{}; run them as any sweep "
                             "(docs/clusters.md), then run this command again without --prepare to rank them\n",
                             name, outcome.cases, outcome.runs, outcome.map_spec.string(),
                             outcome.mitigation_spec.empty() ? "" : " and " + outcome.mitigation_spec.string());
    return exit_ok;
  }
  const std::string resumed = outcome.resumed > 0 ? fmt::format(" ({} from the journal)", outcome.resumed) : "";
  std::cout << fmt::format("risk {}: {} cases, {} runs{}, {} failed; ranking in {}\n", name, outcome.cases, outcome.runs,
                           resumed, outcome.failed, (risk.out / "risk.csv").string());
  if (outcome.failed > 0) {
    std::cerr << fmt::format("outagesim: {} of {} runs failed (failures.csv in {})\n", outcome.failed, outcome.runs,
                             (risk.out / "experiment").string());
    return exit_runs_failed;
  }
  return exit_ok;
}

}  // namespace outagesim::cli
