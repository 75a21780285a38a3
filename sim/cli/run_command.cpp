#include "commands.hpp"

#include "sim/engine/simulation.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/collector.hpp"
#include "sim/metrics/display_format.hpp"
#include "sim/metrics/event_log.hpp"
#include "sim/metrics/progress.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <outagesim/version.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

namespace outagesim::cli {
namespace fs = std::filesystem;

namespace {

/// "+20m05s" style offset for the terminal summary.
std::string offset(double t_s) {
  auto whole = static_cast<long long>(t_s);
  double frac = t_s - static_cast<double>(whole);
  std::string text = "+";
  if (whole >= 3600) text += fmt::format("{}h", whole / 3600);
  if (whole >= 60) text += fmt::format("{:02}m", (whole % 3600) / 60);
  text += fmt::format("{:02}", whole % 60);
  if (frac > 1e-9) text += fmt::format("{:.3f}", frac).substr(1);
  return text + "s";
}

std::string at(const metrics::RunResult& r, const std::optional<double>& t) {
  if (!t) return "-";
  return fmt::format("{} ({})", metrics::utc_time_in_run(r.start_epoch_s, *t), offset(*t));
}

void print_summary(const metrics::RunResult& r, const fs::path& dir, double wall_s) {
  fmt::print("outagesim {}: scenario {}, seed {}\n", version, r.scenario, r.seed);
  fmt::print("simulated {} at {:g} s resolution in {:.2f} s of wall time\n\n", offset(r.duration_s).substr(1),
             r.resolution_s, wall_s);
  fmt::print("  availability   min {:.4g}%, mean {:.4g}% (request-weighted)\n", r.availability_min * 100,
             r.availability_mean * 100);
  fmt::print("  failed         {:.0f} requests\n", r.failed_requests);
  fmt::print("  sites down     {} of {} at some point (availability below {:g}%)\n", r.sites_affected, r.sites,
             r.site_down_below * 100);
  fmt::print("  impact         {} -> {}\n", at(r, r.impact_start), at(r, r.impact_end));
  for (const auto& c : r.channels) {
    auto reach = [](const std::optional<double>& s) { return s ? fmt::format("{:.3g} s", *s) : std::string("never"); };
    fmt::print("  config reach   {}: 50% in {}, 95% in {} after the first bad push\n", c.id, reach(c.reach_t50),
               reach(c.reach_t95));
  }
  for (const auto& f : r.faults)
    fmt::print("  fault          {}: injected {}, mitigated {}, recovered {}\n", f.id, at(r, f.injected_at),
               at(r, f.mitigated_at), at(r, f.recovered_at));
  fmt::print("\nrun directory  {}\nreport         {}\n", dir.string(), (dir / "report.html").string());
}

}  // namespace

int run_command(const RunOptions& options) {
  scenario::Scenario loaded;
  std::vector<scenario::Override> overrides;
  try {
    for (const auto& o : options.overrides) overrides.push_back(scenario::parse_override(o));
    loaded = scenario::load(options.scenario, overrides);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    return exit_bad_input;
  }

  const auto wall_start = std::chrono::steady_clock::now();
  const world::World world = world::build(loaded);
  const fs::path dir = options.out.empty() ? fs::path("runs") / fmt::format("{}-{}", loaded.name, loaded.seed)
                                           : fs::path(options.out);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    std::cerr << fmt::format("outagesim: cannot create the run directory {}: {}\n", dir.string(), ec.message());
    return exit_bad_input;
  }

  metrics::Provenance provenance{version,           engine::simgrid_version(), options.scenario, loaded.source_hash,
                                 options.command_line, options.overrides,        loaded.params};
  metrics::AtomicFile events(dir / "events.jsonl");
  metrics::EventLog event_log(world, events.stream());
  metrics::Collector collector(world);
  metrics::ObserverPair observers(collector, event_log);
  metrics::Progress progress(std::cerr, world.duration_s, isatty(STDERR_FILENO) == 1);
  metrics::ObserverPair with_progress(observers, progress);
  engine::run(world, with_progress);
  progress.finish();
  const metrics::RunResult result = collector.finish();

  metrics::AtomicFile summary(dir / "summary.json");
  metrics::write_summary_json(summary.stream(), result, provenance);
  metrics::AtomicFile timeseries(dir / "timeseries.csv");
  metrics::write_timeseries_csv(timeseries.stream(), result);
  metrics::AtomicFile attribution(dir / "attribution.csv");
  metrics::write_attribution_csv(attribution.stream(), result);
  metrics::AtomicFile report(dir / "report.html");
  report.stream() << metrics::render_report_html(result, provenance);
  metrics::AtomicFile manifest(dir / "manifest.json");
  metrics::write_manifest_json(manifest.stream(), result, provenance);
  // Everything is written before anything is renamed into place, and the
  // summary goes last: a summary.json present means the run completed.
  events.commit();
  timeseries.commit();
  attribution.commit();
  report.commit();
  manifest.commit();
  summary.commit();

  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  print_summary(result, dir, wall_s);
  return exit_ok;
}

}  // namespace outagesim::cli
