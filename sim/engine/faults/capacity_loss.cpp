// Capacity loss: the targets keep `capacity_factor` of their capacity for
// the fault's duration (an operator's restart also ends it on the instances
// it restarts: see world/restart_effect.hpp).
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::CapacityLoss& kind) {
  hold(run, run.fault.instances, {.fault = run.f, .capacity_factor = kind.capacity_factor});
}

}  // namespace outagesim::engine
