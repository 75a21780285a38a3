// Why a service fails at one instant: its own instances' failing share split
// by the fault behind each part. Attribution needs causes, and the state
// mostly says how instances behave; this follows the causes recorded with
// it back to faults: the fault of each config version an instance runs, an
// instance's impairments (or its cause_fault), a service's load surges. A new
// kind of cause is one more source here.
#pragma once

#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <utility>
#include <vector>

namespace outagesim::metrics {

/// Part of a failing share owed to one fault; fault -1: no recorded cause.
struct CausePart {
  int fault = -1;
  double share = 0;
};

/// Adds `share` to the part of `fault` in `parts`, keeping one part per fault.
void add_cause(std::vector<CausePart>& parts, int fault, double share);

class FailureCauses {
 public:
  explicit FailureCauses(const world::World& world);

  /// Per service: the share of its admitted requests its own instances fail
  /// (the complement of world::service_pool, dependencies excluded), split by
  /// cause. The parts of a service sum to its failing share.
  const std::vector<std::vector<CausePart>>& evaluate(const world::WorldState& state);

 private:
  /// The instance's error rate split by cause; the parts sum to its error rate.
  void instance_error_causes(std::size_t instance, const world::WorldState& state, std::vector<CausePart>& parts) const;

  const world::World& world_;
  std::vector<std::vector<std::pair<int, int>>> consumes_;  ///< per instance: (channel, consumer position)
  std::vector<std::vector<CausePart>> services_;
};

}  // namespace outagesim::metrics
