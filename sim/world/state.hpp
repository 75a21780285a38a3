// The mutable state of a running world: what each instance runs and how it
// behaves. The engine changes it, only inside simulated time; observers read it.
#pragma once

#include "world.hpp"

#include <deque>
#include <string>
#include <vector>

namespace outagesim::world {

/// One version of a channel's file. Version 0 of every channel is the good
/// file every consumer runs at the start.
struct ConfigVersion {
  int channel = -1;
  int number = 0;  ///< 0, 1, 2... within the channel
  int fault = -1;  ///< the fault that produced it, or -1 for a good version
  double size_bytes = 0;
  std::vector<double> error_rate_by_variant;  ///< empty: harmless everywhere
  std::string origin;  ///< root cause: "fault:<id>", "operator:<name>" or "initial"

  [[nodiscard]] bool bad() const;
  [[nodiscard]] std::string label(const World& world) const;  ///< "cdn.features@v2"
};

struct InstanceState {
  double error_rate = 0;       ///< share of its requests that fail, [0, 1]
  bool up = true;              ///< down: serves nothing (crashed, restarting, cut off)
  double capacity_factor = 1;  ///< share of its capacity left, [0, 1]
  double added_latency_s = 0;  ///< latency injected on top of the path's
};

struct ServiceState {
  double load_factor = 1;  ///< offered load multiplier (surges)
  double admit = 1;        ///< share of offered load admitted (throttling, shedding)
};

struct WorldState {
  std::vector<InstanceState> instances;
  std::vector<ServiceState> services;
  /// running[c][k]: index into `versions` of what consumer k of channel c runs.
  std::vector<std::vector<int>> running;
  /// Every version ever published, by global index; a deque keeps addresses stable.
  std::deque<ConfigVersion> versions;
  /// latest[c]: index of channel c's most recently published version.
  std::vector<int> latest;

  /// Every instance healthy, every channel on its good version 0.
  static WorldState initial(const World& world);

  /// Publishes a new version of `channel`; returns its global index.
  int publish(int channel, int fault, double size_bytes, std::vector<double> error_rate_by_variant,
              std::string origin);

  /// Consumer `k` of `channel` applies version `version`; recomputes the
  /// instance's error rate over every channel it consumes. Returns false
  /// when it already runs the same or a newer version (nothing changes).
  bool apply(const World& world, int channel, int k, int version);
};

}  // namespace outagesim::world
