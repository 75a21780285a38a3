// `outagesim sweep SPEC --out DIR [--jobs N]`: prepare the sweep (spec and
// base checked once), run what its journal lacks, write the outputs
// (docs/experiments.md), or say why not (docs/exit-codes.md).
#include "commands.hpp"

#include "sim/experiment/journal.hpp"
#include "sim/experiment/prepared_sweep.hpp"
#include "sim/experiment/sweep_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

namespace outagesim::cli {

int sweep_command(const SweepCommandOptions& options) {
  experiment::PreparedSweep sweep;
  try {
    sweep = experiment::prepare_sweep(options.spec);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    return exit_bad_input;
  }
  experiment::SweepOptions run;
  run.out = options.out.empty() ? std::filesystem::path("runs") / ("sweep-" + sweep.sweep.spec.name)
                                : std::filesystem::path(options.out);
  run.jobs = options.jobs;
  run.keep_all_runs = options.keep_all_runs;
  for (std::size_t id : options.keep_runs) {
    if (id >= sweep.runs.size()) {
      std::cerr << fmt::format("outagesim: error: --keep-run {}: the sweep has runs 0 to {}\n", id, sweep.runs.size() - 1);
      return exit_bad_input;
    }
    run.keep_runs.insert(id);
  }
  run.progress = isatty(STDERR_FILENO) == 1;
  std::error_code ec;
  if (std::filesystem::exists(run.out, ec) && !std::filesystem::is_directory(run.out, ec)) {
    std::cerr << fmt::format("outagesim: error: --out {}: exists and is not a directory\n", run.out.string());
    return exit_bad_input;
  }
  experiment::SweepOutcome outcome;
  try {
    outcome = experiment::run_sweep(sweep, run, std::cerr);
  } catch (const experiment::JournalError& e) {
    std::cerr << "outagesim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const std::string resumed = outcome.resumed > 0 ? fmt::format(" ({} from the journal)", outcome.resumed) : "";
  std::cout << fmt::format("sweep {}: {} runs{}, {} failed; results in {}\n", sweep.sweep.spec.name, outcome.runs,
                           resumed, outcome.failed, (run.out / "results.csv").string());
  if (outcome.failed > 0) {
    std::cerr << fmt::format("outagesim: {} of {} runs failed (failures.csv in {})\n", outcome.failed, outcome.runs,
                             run.out.string());
    return exit_runs_failed;
  }
  return exit_ok;
}

}  // namespace outagesim::cli
