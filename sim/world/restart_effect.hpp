// What an operator's restart ends, shared by the engine that plays it and
// the metrics that judge whether it mitigated a fault.
#pragma once

#include "state.hpp"
#include "world.hpp"

namespace outagesim::world {

/// Whether an operator's restart ends `impairment` on the instance it
/// restarts: a crashed process restarted comes back, and a degraded one
/// (capacity_loss: CPU exhaustion, a wedged worker pool) comes back at full
/// capacity. Crash loops, latency, partitions and withdrawn routes come from
/// outside the process and outlast it; a load balancer's removal is its own.
inline bool restart_ends(const World& world, const Impairment& impairment) {
  if (impairment.fault < 0 || impairment.out_of_service) return false;
  const auto kind = world.faults[static_cast<std::size_t>(impairment.fault)].kind;
  return kind == scenario::FaultKind::crash || kind == scenario::FaultKind::capacity_loss;
}

}  // namespace outagesim::world
