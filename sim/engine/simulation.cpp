#include "simulation.hpp"

#include "config_channel.hpp"
#include "config_reactions.hpp"
#include "context.hpp"
#include "dns.hpp"
#include "fault_injector.hpp"
#include "load_balancer.hpp"
#include "operator_team.hpp"
#include "platform_builder.hpp"
#include "traffic_stepper.hpp"

#include <signal.h>

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/version.h>
#include <xbt/log.h>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

namespace {
/// SimGrid's engine replaces the SIGINT handler with one that exits with
/// status 1 at once; the caller's handler (which ends a run cleanly) is put back.
class KeepSigintHandler {
 public:
  KeepSigintHandler() { sigaction(SIGINT, nullptr, &saved_); }
  ~KeepSigintHandler() { sigaction(SIGINT, &saved_, nullptr); }
  KeepSigintHandler(const KeepSigintHandler&) = delete;
  KeepSigintHandler& operator=(const KeepSigintHandler&) = delete;

 private:
  struct sigaction saved_ {};
};

/// SimGrid reserves 8 MiB of stack per actor by default: a run of a few
/// hundred actors then reserved gigabytes of address space and aborted under
/// `ulimit -v 1048576`. Our actors keep their state on the heap; every
/// shipped scenario also runs with 32 KiB stacks, so 256 KiB leaves a wide
/// margin, and the guard page that turns an overflow into a clean SIGSEGV
/// stays (docs/exit-codes.md, "Memory and the engine's limits").
void configure_actor_stacks(sg4::Engine& engine) {
  const char* size = std::getenv("OUTAGESIM_STACK_KIB");
  engine.set_config(std::string("contexts/stack-size:") + (size != nullptr ? size : "256"));
}

sg4::Engine make_engine() {
  KeepSigintHandler keep;
  return sg4::Engine("outagesim");
}
}  // namespace

RunEnd run(const world::World& world, world::RunObserver& observer, const volatile std::sig_atomic_t* stop) {
  sg4::Engine engine = make_engine();
  // SimGrid's INFO messages (config changes, end of simulation) are not ours to print.
  const char* log = std::getenv("OUTAGESIM_SIMGRID_LOG");
  xbt_log_control_set(log != nullptr ? log : "root.thres:critical");
  // CM02 without the default latency factor: a YAML latency means what it says.
  engine.set_config("network/model:CM02");
  configure_actor_stacks(engine);

  world::WorldState state = world::WorldState::initial(world);
  Context context(world, state, observer);
  context.set_hosts(build_platform(world.platform, transfer_pairs(world)));
  ConfigReactions config_reactions(context);
  context.set_config_reactions(&config_reactions);
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
  RunEnd end;
  sg4::Actor::create("sampler", context.host(world.platform.hosts.front()), [&context, &world, &traffic, &end, stop] {
    const auto ticks = static_cast<long>(std::floor(world.duration_s / world.resolution_s + 1e-9));
    for (long k = 0; k <= ticks; ++k) {
      const double t = static_cast<double>(k) * world.resolution_s;
      sg4::this_actor::sleep_until(t);
      traffic.step_through(t);
      context.sample(t);
      end.reached_s = t;
      // Interrupted: end here, as the last tick would (never by throwing
      // through the engine).
      if (stop != nullptr && *stop != 0 && k < ticks) {
        end.interrupted = true;
        return;
      }
    }
  });
  engine.run();
  if (!end.interrupted) end.reached_s = world.duration_s;
  return end;
}

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

}  // namespace outagesim::engine
