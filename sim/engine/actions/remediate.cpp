// remediate: operators bring back the target's instances that a fault holds
// and a restart ends (a boot loop), one at a time per person, at the pace
// of models/remediation_pace; each then warms up before it serves, as a
// restart. The fault ends when the last of its instances is cleared.
#include "models/remediation_pace.hpp"
#include "sim/engine/action_take.hpp"
#include "sim/engine/instance_faults.hpp"
#include "sim/world/restart_effect.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

template <>
int take(const ActionTake& run, const scenario::actions::Remediate& kind) {
  const auto& world = run.context.world();
  const auto& state = run.context.state();
  std::vector<int> held;  // in instance order
  for (int i : run.action.instances) {
    const auto& all = state.instances[static_cast<std::size_t>(i)].impairments;
    if (std::any_of(all.begin(), all.end(), [&](const world::Impairment& x) { return world::restart_ends(world, x); }))
      held.push_back(i);
  }
  std::vector<double> at = models::remediation_times(held.size(), kind.people(), kind.seconds_per_instance(), kind.ramp_up_s.value_or(0));
  for (double& t : at) t += run.context.now();
  RestartWave wave{.instances = held,
                   .down_s = kind.warmup_s.value_or(default_restart_s),
                   .rng_key = fmt::format("remediate:{}:{}", run.action.operator_name, world::index(run.a)),
                   .at_s = at,
                   .action = run.a,
                   .cause = run.cause};
  spawn_daemon(fmt::format("remediate:{}:{}", run.action.operator_name, world::index(run.a)),
               sg4::this_actor::get_host(), [&context = run.context, wave] { play_restarts(context, wave); });
  return -1;
}

}  // namespace outagesim::engine
