// A bad config push: the channel publishes the fault's version, which its
// consumers apply as the rollout reaches them; a transient one is replaced
// by a good version when its duration ends.
#include "sim/engine/config_channel.hpp"
#include "sim/engine/fault_play.hpp"

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::BadConfigPush&) {
  const auto& fault = run.fault;
  ConfigChannel& channel = run.context.channel(fault.channel);
  const int version =
      channel.publish(world::index(run.f), fault.size_bytes, fault.error_rate_by_variant, run.cause, fault.segment_error_rates);
  // Its effects beyond plain error rates (the consumers' reactions read them).
  if (!fault.config_effects.empty())
    run.context.state().versions[static_cast<std::size_t>(version)].effects = &fault.config_effects;
  run.context.emit(world::FaultInjected{world::index(run.f), version}, run.cause);
  if (!fault.duration_s) return;
  sg4::this_actor::sleep_for(*fault.duration_s);
  const int good = channel.publish_good(run.cause);
  run.context.emit(world::FaultEnded{world::index(run.f), good}, run.cause);
}

}  // namespace outagesim::engine
