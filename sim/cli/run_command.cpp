// `outagesim run SCENARIO`: load, simulate, and commit the run directory
// (docs/outputs.md), or say why not (docs/exit-codes.md).
#include "commands.hpp"
#include "interrupt_signals.hpp"

#include "sim/engine/loaded_engine.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/collector.hpp"
#include "sim/metrics/display_format.hpp"
#include "sim/metrics/event_log.hpp"
#include "sim/metrics/observed_overlay.hpp"
#include "sim/metrics/progress.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/run_directory_commit.hpp"
#include "sim/metrics/run_directory_lock.hpp"
#include "sim/metrics/run_origin.hpp"
#include "sim/metrics/safeguards.hpp"
#include "sim/metrics/series_selection.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/published_series.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <outagesim/version.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::cli {
namespace fs = std::filesystem;

namespace {

std::string at(const metrics::RunResult& r, const std::optional<double>& t) {
  return t ? metrics::time_in_run(r.start_epoch_s, *t) : std::string("none");
}

void print_summary(const metrics::RunResult& r, const fs::path& dir, double wall_s) {
  using metrics::duration;
  fmt::print("outagesim {}: scenario {}, seed {}\n", version, r.scenario, r.seed);
  fmt::print("simulated {} at {} resolution in {:.2f} s of wall time\n\n", duration(r.duration_s),
             duration(r.resolution_s), wall_s);
  fmt::print("  availability   min {}, mean {} (request-weighted)\n", metrics::percent(r.availability_min),
             metrics::percent(r.availability_mean));
  fmt::print("  failed         {} requests\n", metrics::with_thousands(r.failed_requests));
  fmt::print("  sites down     {} of {} at some point (availability below {})\n", r.sites_affected, r.sites,
             metrics::percent(r.site_down_below));
  fmt::print("  impact         {} -> {}\n", at(r, r.impact_start), at(r, r.impact_end));
  for (const auto& c : r.channels) {
    auto reach = [](std::string_view share, const std::optional<double>& s) {
      return s ? fmt::format("{} in {}", share, duration(*s)) : fmt::format("{} not reached", share);
    };
    fmt::print("  config reach   {}: {}, {} after the first bad push\n", c.id, reach("50%", c.reach_t50),
               reach("95%", c.reach_t95));
  }
  for (const auto& f : r.faults)
    fmt::print("  fault          {}: injected {}, mitigated {}, recovered {}\n", f.id, at(r, f.injected_at),
               at(r, f.mitigated_at), at(r, f.recovered_at));
  // A failover the scenario declares and the run never set off is worth
  // knowing: the scenario counted on it (summary.json's metrics.safeguards).
  for (const auto& s : r.safeguards)
    fmt::print("  {:<14} {} {}: {}\n", s.is_failover() ? "failover" : "safeguard", metrics::safeguard_kind_text(s.kind),
               s.entity, metrics::safeguard_triggers_text(r.start_epoch_s, s));
  fmt::print("\nrun directory  {}\nreport         {}\n", dir.string(), (dir / "report.html").string());
}

/// `run --json`: the committed summary.json, with where the run is
/// (docs/outputs.md, "On stdout").
void print_json_summary(const fs::path& dir) {
  std::ifstream in(dir / "summary.json");
  nlohmann::ordered_json out;
  out["command"] = "run";
  out["run_directory"] = dir.string();
  out["report"] = (dir / "report.html").string();
  out["summary"] = nlohmann::ordered_json::parse(in);
  std::cout << out.dump(2) << '\n';
}

/// The run directory, created if needed and checked before the simulation
/// starts: a problem with it is the user's to fix, found in a second rather
/// than after the run. Prints the diagnostic and returns false on failure.
bool prepare_run_directory(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status) && !fs::is_directory(status)) {
    std::cerr << fmt::format("outagesim: error: --out {}: exists and is not a directory\n", dir.string());
    return false;
  }
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    std::cerr << fmt::format("outagesim: error: --out {}: cannot create the run directory: {}\n", dir.string(),
                             ec ? ec.message() : std::string("not a directory"));
    return false;
  }
  return true;
}

/// The comment above scenario.yaml: where it came from and how to use it.
std::string resolved_scenario_header(const RunOptions& options) {
  std::string header = fmt::format(
      "# The scenario of this run as it ran: {}", options.scenario);
  for (const auto& o : options.overrides) header += " --set " + metrics::shell_line({o});
  return header +
         ",\n# templates merged in. `outagesim run scenario.yaml` reproduces the run (docs/outputs.md).\n";
}

/// False, with the reason on stderr, when `dir` holds a run that another
/// command line made and `force` is not given: replacing it silently would
/// lose a run nobody asked to lose. The same command line reruns freely.
bool may_replace_run_in(const fs::path& dir, const metrics::RunOrigin& origin, bool force) {
  if (force) return true;
  const auto recorded = metrics::recorded_origin(dir);
  if (!recorded || recorded->same_run_as(origin)) return true;
  std::cerr << fmt::format(
      "outagesim: error: --out {}: it holds the run of another command line ({}); choose another --out, or pass "
      "--force to replace that run\n",
      dir.string(), metrics::shell_line(recorded->command_line));
  return false;
}

}  // namespace

int run_command(const RunOptions& options) {
  // From here a signal ends the run cleanly instead of killing the process.
  const InterruptSignals signals;
  scenario::Scenario loaded;
  std::vector<scenario::Override> overrides;
  std::string resolved;
  std::vector<scenario::PublishedSeriesFile> observed;
  try {
    for (const auto& file : options.observed) observed.push_back(scenario::load_published_series(file));
    for (const auto& o : options.overrides) overrides.push_back(scenario::parse_override(o));
    loaded = scenario::load(options.scenario, overrides);
    resolved = scenario::resolved_yaml(options.scenario, overrides);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    return exit_bad_input;
  }

  const auto wall_start = std::chrono::steady_clock::now();
  const world::World world = world::build(loaded);
  const fs::path dir = options.out.empty() ? fs::path("runs") / fmt::format("{}-{}", loaded.name, loaded.seed)
                                           : fs::path(options.out);
  if (!prepare_run_directory(dir)) return exit_bad_input;

  metrics::Provenance provenance{version,           engine::loaded::simgrid_version(), options.scenario, loaded.source_hash,
                                 options.command_line, options.overrides,        loaded.params};
  // One run at a time in a directory, and every file's temporary exists
  // before the run: a directory that cannot be written fails now
  // (OutputError, exit 2), not after the simulation.
  const metrics::RunDirectoryLock lock(dir);
  if (!may_replace_run_in(dir, {options.scenario, options.overrides, options.command_line}, options.force))
    return exit_bad_input;
  metrics::AtomicFile events(dir / "events.jsonl");
  metrics::AtomicFile summary(dir / "summary.json");
  const std::string timeseries_name = metrics::timeseries_file_name(world.timeseries_compression);
  metrics::AtomicFile timeseries(dir / timeseries_name);
  metrics::AtomicFile attribution(dir / "attribution.csv");
  metrics::AtomicFile report(dir / "report.html");
  metrics::AtomicFile manifest(dir / "manifest.json");
  metrics::AtomicFile scenario_copy(dir / "scenario.yaml");

  metrics::EventLog event_log(world, events.stream());
  // timeseries.csv is written as the run samples; the run holds only the
  // series read after it (the headline, report.html, the --observed overlays).
  metrics::TimeseriesWriter rows(timeseries.stream(), world.timeseries_compression, world.series_filters,
                                 world.start_epoch_s);
  metrics::Collector collector(world, metrics::SeriesRetention::with_report(metrics::series_compared_by(observed)),
                               &rows);
  metrics::ObserverPair observers(collector, event_log);
  metrics::Progress progress(std::cerr, world.duration_s, !options.output.quiet && isatty(STDERR_FILENO) == 1);
  metrics::ObserverPair with_progress(observers, progress);
  const engine::RunEnd end = engine::loaded::run(world, with_progress, signals.flag());
  progress.finish();
  const metrics::RunResult result = collector.finish(end.interrupted ? std::optional(end.reached_s) : std::nullopt);

  metrics::write_summary_json(summary.stream(), result, provenance);
  rows.finish();
  metrics::write_attribution_csv(attribution.stream(), result);
  for (std::size_t i : metrics::SeriesSelection(result.series_filters).unmatched(result.series))
    std::cerr << fmt::format("outagesim: warning: output.series[{}] matches no series of this run; it keeps nothing\n",
                             i);
  for (const auto& file : observed)
    if (const std::string missing = metrics::missing_simulated_series(result, file); !missing.empty())
      std::cerr << "outagesim: warning: --observed " << missing << "; report.html says so in its place\n";
  report.stream() << metrics::render_report_html(result, provenance, observed);
  metrics::write_manifest_json(manifest.stream(), result, provenance);
  scenario_copy.stream() << resolved_scenario_header(options) << resolved;
  metrics::commit_run_directory(dir, {&events, &timeseries, &attribution, &report, &manifest, &scenario_copy},
                                summary, {}, {metrics::other_timeseries_file_name(timeseries_name)});

  if (options.output.json) print_json_summary(dir);
  if (signals.received() != 0) {
    std::cerr << (result.interrupted
                      ? fmt::format("outagesim: interrupted by {} at {} of {} simulated; the run so far is in {} "
                                    "(summary.json \"status\": \"interrupted\")\n",
                                    signal_name(signals.received()), metrics::offset(result.reached_s),
                                    metrics::duration(result.duration_s), dir.string())
                      : fmt::format("outagesim: {} received after the run ended; the complete run is in {}\n",
                                    signal_name(signals.received()), dir.string()));
    return exit_code_for(signals.received());
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (!options.output.json && !options.output.quiet) print_summary(result, dir, wall_s);
  return exit_ok;
}

}  // namespace outagesim::cli
