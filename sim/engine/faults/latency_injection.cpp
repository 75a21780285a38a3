// Latency injection: the targets answer `latency` later for the fault's duration.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::LatencyInjection& kind) {
  hold(run, run.fault.instances, {.fault = run.f, .added_latency_s = kind.latency_s});
}

}  // namespace outagesim::engine
