// Crash: the targets are down until `down` has passed, or the duration
// ends, or an operator restarts them; the fault ends with its duration,
// else when `down` has passed.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

#include <algorithm>
#include <optional>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::Crash& kind) {
  const auto& fault = run.fault;
  const double start = run.context.now();
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  for (int i : fault.instances) impair(run.context, i, {.fault = run.f, .down = true}, run.cause);
  std::optional<double> back = fault.duration_s;
  if (kind.down_s && *kind.down_s > 0) back = std::min(*kind.down_s, fault.duration_s.value_or(*kind.down_s));
  // Without a time back, only an end_fault action brings them back.
  const bool on_time = back ? run.sleep_until(start + *back) : false;
  if (!back && !run.wait_out()) return;
  for (int i : fault.instances) lift(run.context, i, run.f, world::ActionIndex::none, run.ending_cause());
  if (on_time) run.sleep_until(start + fault.duration_s.value_or(*back));
  run.context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
