// `outagesim ensemble RUN_DIR...`: runs of one scenario with different seeds
// (a seed sweep's --keep-runs directories, or runs made by hand) drawn
// together: the median and the spread over the runs at each sample, written
// as ensemble.html and ensemble.csv.
#include "commands.hpp"
#include "output_directory.hpp"

#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/ensemble_report.hpp"
#include "sim/metrics/run_reader.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::cli {
namespace fs = std::filesystem;

int ensemble_command(const EnsembleOptions& options) {
  metrics::Ensemble ensemble;
  try {
    std::vector<metrics::LoadedRun> runs;
    for (const auto& dir : options.run_dirs) runs.push_back(metrics::read_run_directory(dir));
    ensemble = metrics::ensemble_of(std::move(runs));
  } catch (const metrics::RunDirectoryError& e) {
    std::cerr << "outagesim ensemble: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const fs::path dir = options.out.empty() ? fs::path("runs") / fmt::format("ensemble-{}", ensemble.runs.front().scenario)
                                           : fs::path(options.out);
  if (!create_output_directory("ensemble", dir)) return exit_bad_input;
  metrics::AtomicFile html(dir / "ensemble.html");
  html.stream() << metrics::render_ensemble_html(ensemble);
  metrics::AtomicFile csv(dir / "ensemble.csv");
  metrics::write_ensemble_csv(csv.stream(), ensemble);
  html.commit();
  csv.commit();
  metrics::sync_directory(dir);

  if (options.output.quiet) return exit_ok;
  if (options.output.json) {
    nlohmann::ordered_json out;
    out["command"] = "ensemble";
    out["ensemble_html"] = (dir / "ensemble.html").string();
    out["ensemble_csv"] = (dir / "ensemble.csv").string();
    out["runs"] = ensemble.runs.size();
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  fmt::print("{} runs of {}\nensemble       {}\n", ensemble.runs.size(), ensemble.runs.front().scenario,
             (dir / "ensemble.html").string());
  return exit_ok;
}

}  // namespace outagesim::cli
