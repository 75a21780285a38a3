#include "fault_injector.hpp"

#include "config_channel.hpp"
#include "control_plane.hpp"
#include "dns.hpp"

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
  switch (fault.kind) {
    case scenario::FaultKind::bad_config_push: return push_bad_version(f);
    case scenario::FaultKind::dns_record_change: return context_.dns().run_fault(f);
    case scenario::FaultKind::capacity_loss:
    case scenario::FaultKind::load_surge:
    case scenario::FaultKind::crash:
    case scenario::FaultKind::crash_loop:
    case scenario::FaultKind::restart:
    case scenario::FaultKind::partition:
    case scenario::FaultKind::route_withdrawal:
    case scenario::FaultKind::latency_injection: return instance_faults_.run(f);
  }
}

void FaultInjector::push_bad_version(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  ConfigChannel& channel = context_.channel(fault.channel);
  const int version = channel.publish(f, fault.size_bytes, fault.error_rate_by_variant, cause, fault.segment_error_rates);
  context_.emit(world::FaultInjected{f, version}, cause);
  if (!fault.duration_s) return;
  sg4::this_actor::sleep_for(*fault.duration_s);
  const int good = channel.publish_good(cause);
  context_.emit(world::FaultEnded{f, good}, cause);
}

}  // namespace outagesim::engine
