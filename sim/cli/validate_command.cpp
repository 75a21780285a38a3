#include "commands.hpp"

#include "sim/scenario/describe.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>

namespace outagesim::cli {

int validate_command(const std::string& path, const std::vector<std::string>& override_arguments) {
  scenario::Scenario s;
  try {
    std::vector<scenario::Override> overrides;
    for (const auto& o : override_arguments) overrides.push_back(scenario::parse_override(o));
    s = scenario::load(path, overrides);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    std::cerr << fmt::format("{}: {} problem{}\n", path, e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
    return exit_bad_input;
  }
  // What the language accepts but the engine cannot simulate yet: notes here,
  // errors for `run`.
  const auto unsupported = world::unsupported_features(s);
  if (!unsupported.empty()) {
    fmt::print("{}: valid, but `run` cannot simulate all of it yet:\n", path);
    for (const auto& d : unsupported) fmt::print("  {}\n", d.to_string());
    return exit_ok;
  }
  const world::World w = world::build(s);
  auto utc = [&](double t) { return scenario::format_utc_timestamp(s.start_epoch_s + t); };

  fmt::print("{}: valid\n", path);
  fmt::print("scenario {}: start {}, duration {:g} s, resolution {:g} s, seed {}\n", s.name, utc(0), s.duration_s,
             s.output.resolution_s, s.seed);
  for (const auto& [name, value] : s.params) fmt::print("  param {} = {}\n", name, value);
  fmt::print("  {} providers, {} services, {} instances in {} regions, {} channels, {} sites, {} faults, "
             "{} operator actions\n",
             s.providers.size(), w.services.size(), w.instances.size(), w.platform.regions.size(), w.channels.size(),
             w.sites.size(), w.faults.size(), w.actions.size());
  for (const auto& service : w.services) {
    std::map<int, int> per_variant;
    for (int i : service.instances) ++per_variant[w.instances[static_cast<std::size_t>(i)].variant];
    std::string variants;
    for (const auto& [v, n] : per_variant)
      variants += fmt::format("{}{} {}", variants.empty() ? "" : ", ", n, service.variants[static_cast<std::size_t>(v)]);
    fmt::print("  service {}: {} instances ({})\n", service.id, service.instances.size(), variants);
  }

  struct Line {
    double t;
    std::string text;
  };
  std::vector<Line> timeline;
  for (const auto& f : w.faults)
    timeline.push_back({f.at_s, fmt::format("fault {} (bad_config_push) on {}, {:g} bytes{}", f.id,
                                            w.channels[static_cast<std::size_t>(f.channel)].id, f.size_bytes,
                                            f.duration_s ? fmt::format(", for {:g} s", *f.duration_s) : "")});
  for (const auto& a : w.actions)
    timeline.push_back({a.at_s, fmt::format("operator {}: {} {}", a.operator_name, scenario::enum_name(a.kind),
                                            w.channels[static_cast<std::size_t>(a.channel)].id)});
  std::stable_sort(timeline.begin(), timeline.end(), [](const Line& a, const Line& b) { return a.t < b.t; });
  fmt::print("timeline:\n");
  for (const auto& line : timeline) fmt::print("  {} (+{:g} s)  {}\n", utc(line.t), line.t, line.text);
  fmt::print("  {} (+{:g} s)  end of run\n", utc(s.duration_s), s.duration_s);
  return exit_ok;
}

}  // namespace outagesim::cli
