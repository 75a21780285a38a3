// When an operator action mitigates a fault (summary.json `mitigated_at`):
// after the fault fired and before it recovered, when it reduces the fault's
// own effect, on the channel that carries the fault's versions, on the
// instances the fault impairs, or on a service the fault hits; after it
// recovered, when it relieves an overload the fault set off that outlived
// it. An action elsewhere, or one that changes nothing for the fault (a
// restart of instances the fault does not hold, a throttle that admits
// more), does not. docs/outputs.md states the rule in full.
#pragma once

#include "run_result.hpp"
#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <vector>

namespace outagesim::metrics {

class Mitigation {
 public:
  explicit Mitigation(const world::World& world);

  /// The faults action `action` mitigates, given `state` just after the
  /// action (a restart's instances still carry what it will end) and what
  /// is known of each fault so far (fired, recovered). Call once per action
  /// taken, in order: it remembers the admission and capacity scale each
  /// service had, to tell a tightening from a loosening.
  std::vector<int> mitigated_by(int action, const world::WorldState& state, const std::vector<FaultOutcome>& faults);

 private:
  [[nodiscard]] bool reduces_effect(const world::Action& action, int fault, const world::WorldState& state,
                                    bool relieves_load) const;

  const world::World& world_;
  std::vector<std::vector<int>> channels_;  ///< per fault: channels that carry its versions
  std::vector<std::vector<int>> services_;  ///< per fault: services it hits
  std::vector<double> admit_, capacity_scale_;  ///< per service, before the action being judged
  std::vector<double> offered_bound_;           ///< per service, before the action: see offered_bound
};

}  // namespace outagesim::metrics
