#include "fault_injector.hpp"

#include "control_plane.hpp"

#include <variant>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

void FaultInjector::start() {
  const auto& world = context_.world();
  for (std::size_t f = 0; f < world.faults.size(); ++f) {
    const auto& fault = world.faults[f];
    // A bad push starts at its channel's publisher; other faults act on state
    // directly, from the control plane of the provider they hit.
    sg4::Host* host = fault.channel >= 0
                          ? context_.host(world.channels[static_cast<std::size_t>(fault.channel)].origin_host)
                          : control_plane(context_, provider_hit(world, fault));
    spawn_daemon("fault:" + fault.id, host, [this, f] { inject(static_cast<int>(f)); });
  }
}

void FaultInjector::inject(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  sg4::this_actor::sleep_until(fault.at_s);
  context_.fault_began(world::FaultIndex{f});
  const FaultPlay run{context_, cuts_, world::FaultIndex{f}, fault, "fault:" + fault.id};
  std::visit([&run](const auto& kind) { play(run, kind); }, fault.kind);
}

}  // namespace outagesim::engine
