// Crash loop: the targets, in phase, are down for `down`, up for `up`, from
// the start until the duration ends (an instance down at the end comes back
// then), or forever.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

#include <algorithm>
#include <limits>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::CrashLoop& kind) {
  const auto& fault = run.fault;
  const double start = run.context.now();
  const double end = fault.duration_s ? start + *fault.duration_s : std::numeric_limits<double>::infinity();
  const double cycle = kind.up_s + kind.down_s;
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  for (long k = 0;; ++k) {
    const double down_at = start + static_cast<double>(k) * cycle;
    if (down_at >= end || !run.sleep_until(down_at)) break;
    for (int i : fault.instances) impair(run.context, i, {.fault = run.f, .down = true}, run.cause);
    const bool on_time = run.sleep_until(std::min(down_at + kind.down_s, end));
    for (int i : fault.instances) lift(run.context, i, run.f, world::ActionIndex::none, run.ending_cause());
    if (!on_time) break;
  }
  run.sleep_until(end);
  run.context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
