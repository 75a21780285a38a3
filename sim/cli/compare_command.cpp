// `outagesim compare RUN_A RUN_B`: the "what if" view of two finished runs,
// written as compare.html and compare.json.
#include "commands.hpp"
#include "output_directory.hpp"

#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/compare_report.hpp"
#include "sim/metrics/run_reader.hpp"

#include <filesystem>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::cli {
namespace fs = std::filesystem;

int compare_command(const CompareOptions& options) {
  metrics::Comparison comparison;
  try {
    comparison = metrics::compare_runs(metrics::read_run_directory(options.run_a),
                                       metrics::read_run_directory(options.run_b));
  } catch (const metrics::RunDirectoryError& e) {
    std::cerr << "outagesim compare: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const fs::path dir = options.out.empty()
                           ? fs::path("runs") / fmt::format("compare-{}-vs-{}", comparison.a.name, comparison.b.name)
                           : fs::path(options.out);
  if (!create_output_directory("compare", dir)) return exit_bad_input;
  metrics::AtomicFile html(dir / "compare.html");
  html.stream() << metrics::render_compare_html(comparison);
  metrics::AtomicFile json(dir / "compare.json");
  metrics::write_compare_json(json.stream(), comparison);
  html.commit();
  json.commit();
  metrics::sync_directory(dir);  // the renames, too, survive a power loss

  if (options.output.quiet) return exit_ok;
  if (options.output.json) {
    std::ostringstream text;
    metrics::write_compare_json(text, comparison);
    nlohmann::ordered_json out;
    out["command"] = "compare";
    out["compare_html"] = (dir / "compare.html").string();
    out["comparison"] = nlohmann::ordered_json::parse(text.str());
    std::cout << out.dump(2) << '\n';
    return exit_ok;
  }
  fmt::print("A  {}\nB  {}\n\n", comparison.a.dir.string(), comparison.b.dir.string());
  fmt::print("  {:<28} {:>14} {:>14} {:>14}\n", "metric", "A", "B", "B - A");
  for (const auto& m : comparison.metrics) {
    if (m.path.find('/') != std::string::npos) continue;  // the headline ones; the rest is in the files
    fmt::print("  {:<28} {:>14} {:>14} {:>14}\n", m.path, metrics::shown_metric(m.path, m.a),
               metrics::shown_metric(m.path, m.b), metrics::shown_difference(m));
  }
  fmt::print("\ncomparison     {}\n", (dir / "compare.html").string());
  return exit_ok;
}

}  // namespace outagesim::cli
