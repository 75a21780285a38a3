// What an operator's restart ends, shared by the engine that plays it and
// the metrics that judge whether it mitigated a fault.
#pragma once

#include "state.hpp"
#include "world.hpp"

#include <type_traits>
#include <variant>

namespace outagesim::world {

/// Whether an operator's restart ends `impairment` on the instance it
/// restarts, as its kind declares (`ended_by_restart`, fault_kinds.hpp), or
/// a crash on a config version (the consumer then loads the newest version
/// it was sent); a load balancer's removal is its own.
inline bool restart_ends(const World& world, const Impairment& impairment) {
  if (impairment.fault == FaultIndex::none || impairment.out_of_service) return false;
  // A process that crashed on a config version comes back; what a version it
  // runs costs it (capacity, latency) comes back with it.
  if (impairment.config_channel >= 0) return impairment.down;
  return std::visit([](const auto& kind) { return std::decay_t<decltype(kind)>::ended_by_restart; },
                    world.faults[at(impairment.fault)].kind);
}

}  // namespace outagesim::world
