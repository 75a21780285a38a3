// The scenario turned into what a simulation runs on: the platform, and the
// component graph (services -> instances, channels -> consumers, sites ->
// dependencies) with every reference resolved to an index. Plain data.
#pragma once

#include "models/dependency_availability.hpp"
#include "platform.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::world {

struct Instance {
  std::string id;  ///< "provider.service/region/k", also its host's name
  int service = -1;
  int region = -1;
  int variant = 0;
  double capacity_rps = 0;
};

/// A resolved dependency: the services it names, by index.
struct Dependency {
  models::DependencyRule rule = models::DependencyRule::hard;
  std::vector<int> services;
  int k = 1;
  double share = 1.0;
};

struct Service {
  std::string id;  ///< "provider.service"
  std::string provider;
  std::vector<std::string> variants;  ///< at least one
  std::vector<int> instances;
  std::vector<Dependency> dependencies;  ///< other services it needs
  double offered_rps = 0;  ///< load the sites (and dependent services) send it, before surges
};

struct Channel {
  std::string id;           ///< "provider.channel"
  int service = -1;         ///< whose instances consume it
  std::string origin_host;  ///< the publisher's host
  int origin_region = -1;
  double size_bytes = 0;
  double apply_delay_s = 0;
};

struct Site {
  std::string name;
  double rps = 0;
  std::vector<Dependency> dependencies;
  bool series = true;  ///< gets a per-site series in timeseries.csv
};

struct Fault {
  std::string id;
  int channel = -1;
  double at_s = 0;                    ///< fixed, or drawn from the scenario seed
  std::optional<double> duration_s;   ///< the bad version is withdrawn after this long
  double size_bytes = 0;
  std::vector<double> error_rate_by_variant;  ///< indexed like the consuming service's variants
};

struct Action {
  std::string operator_name;
  double at_s = 0;
  scenario::ActionKind kind = scenario::ActionKind::revert;
  int channel = -1;
};

struct World {
  std::string name;
  double start_epoch_s = 0;
  double duration_s = 0;
  double resolution_s = 0;
  double site_down_below = 0;
  std::uint64_t seed = 1;
  Platform platform;
  std::vector<Service> services;
  std::vector<int> service_order;  ///< every service after the services it depends on
  std::vector<Instance> instances;
  std::vector<Channel> channels;
  std::vector<Site> sites;
  std::vector<Fault> faults;
  std::vector<Action> actions;  ///< every operator's, sorted by time then declaration
};

/// Builds the world of a validated scenario. Deterministic: the same scenario
/// gives the same world, element for element (random times are drawn from the
/// scenario's seed). Throws scenario::ScenarioError, located in the scenario
/// file, when the scenario uses a part of the language the engine does not
/// simulate yet (unsupported_features).
World build(const scenario::Scenario& scenario);

/// The parts of `scenario` that the language accepts but the engine cannot
/// simulate yet, one diagnostic each. Empty when the scenario can run.
std::vector<scenario::Diagnostic> unsupported_features(const scenario::Scenario& scenario);

/// Spreads variants over `count` instances so that every prefix of the list
/// holds each variant in proportion to its share (largest deficit first).
std::vector<int> assign_variants(const std::vector<double>& shares, int count);

}  // namespace outagesim::world
