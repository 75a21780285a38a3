// Restart fault: one wave of restarts of the targets, spread over `jitter`
// (none: a herd), each down for `down`; the fault ends with its duration,
// else once the last target is back.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

#include <optional>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::Restart& kind) {
  const auto& fault = run.fault;
  const double start = run.context.now();
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  std::optional<double> end;
  if (fault.duration_s) end = start + *fault.duration_s;
  const double down_s = kind.down_s && *kind.down_s > 0 ? *kind.down_s : default_restart_s;
  play_restarts(run.context, {.instances = fault.instances,
                              .down_s = down_s,
                              .jitter_s = kind.jitter_s,
                              .rng_key = "restart:" + fault.id,
                              .fault = run.f,
                              .end_s = end,
                              .cause = run.cause});
  if (end) run.sleep_until(*end);
  run.context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
