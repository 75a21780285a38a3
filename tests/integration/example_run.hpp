// A shipped example run through the CLI, with the scenario and world it was
// built from, so that a test computes what the run must show from the
// example's own numbers instead of copying them from a run.
#pragma once

#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <string>
#include <vector>

namespace outagesim::testing {

struct ExampleRun {
  scenario::Scenario scenario;
  world::World world;
  fs::path dir;
  std::vector<nlohmann::json> events;
};

/// Runs example `name` with each of `sets` as a --set override, and loads
/// the same scenario (overrides applied) and its world.
inline ExampleRun run_loaded_example(const std::string& name, const std::vector<std::string>& sets = {}) {
  std::vector<scenario::Override> overrides;
  std::string args;
  for (const auto& set : sets) {
    overrides.push_back(scenario::parse_override(set));
    args += fmt::format(" --set '{}'", set);
  }
  ExampleRun r{scenario::load(example(name), overrides), {}, {}, {}};
  r.world = world::build(r.scenario);
  r.dir = run_example(name, args);
  r.events = read_events(r.dir);
  return r;
}

}  // namespace outagesim::testing
