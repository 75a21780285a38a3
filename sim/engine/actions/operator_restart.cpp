// An operator's restart of instances: one wave of restarts, each down for
// the default restart time, spread over `jitter`. It ends the faults a
// restart ends (world/restart_effect.hpp) on the instances it restarts.
#include "sim/engine/action_take.hpp"
#include "sim/engine/instance_faults.hpp"

#include <optional>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
int take(const ActionTake& run, const scenario::actions::Restart& kind) {
  const auto& action = run.action;
  // The restarts take time; the team goes on with its other actions meanwhile.
  RestartWave wave{.instances = action.instances,
                   .jitter_s = kind.jitter_s,
                   .rng_key = fmt::format("restart:operator:{}:{}", action.operator_name, world::index(run.a)),
                   .action = run.a,
                   .cause = run.cause};
  spawn_daemon(fmt::format("restart:{}:{}", action.operator_name, world::index(run.a)), sg4::this_actor::get_host(),
               [&context = run.context, wave] { play_restarts(context, wave); });
  return -1;
}

}  // namespace outagesim::engine
