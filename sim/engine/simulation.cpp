#include "simulation.hpp"

#include "config_channel.hpp"
#include "context.hpp"
#include "dns.hpp"
#include "fault_injector.hpp"
#include "load_balancer.hpp"
#include "operator_team.hpp"
#include "platform_builder.hpp"
#include "traffic_stepper.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

void run(const world::World& world, world::RunObserver& observer) {
  sg4::Engine engine("outagesim");
  // SimGrid's INFO messages (config changes, end of simulation) are not ours to print.
  const char* log = std::getenv("OUTAGESIM_SIMGRID_LOG");
  xbt_log_control_set(log != nullptr ? log : "root.thres:critical");
  // CM02 without the default latency factor: a YAML latency means what it says.
  engine.set_config("network/model:CM02");

  world::WorldState state = world::WorldState::initial(world);
  Context context(world, state, observer);
  context.set_hosts(build_platform(world.platform));
  for (std::size_t c = 0; c < world.channels.size(); ++c)
    context.add_channel(std::make_unique<ConfigChannel>(context, static_cast<int>(c)));
  for (std::size_t c = 0; c < world.channels.size(); ++c) context.channel(static_cast<int>(c)).start();
  Dns dns(context);
  context.set_dns(&dns);
  dns.start();
  LoadBalancers load_balancers(context);
  context.set_load_balancers(&load_balancers);
  load_balancers.start();
  FaultInjector faults(context);
  faults.start();
  OperatorTeams operators(context);
  operators.start();
  TrafficStepper traffic(context);
  traffic.start();

  // The sampler is the one non-daemon actor: the run ends with its last tick,
  // and every other actor (all daemons) with it. A sample sees the traffic
  // after the step due at its instant, whichever actor woke first.
  sg4::Actor::create("sampler", context.host(world.platform.hosts.front()), [&context, &world, &traffic] {
    const auto ticks = static_cast<long>(std::floor(world.duration_s / world.resolution_s + 1e-9));
    for (long k = 0; k <= ticks; ++k) {
      const double t = static_cast<double>(k) * world.resolution_s;
      sg4::this_actor::sleep_until(t);
      traffic.step_through(t);
      context.sample(t);
    }
  });
  engine.run();
}

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

}  // namespace outagesim::engine
