#include "control_plane.hpp"

namespace outagesim::engine {
namespace {

/// "provider.name" -> "provider": names may not contain '.'.
std::string provider_in(const std::string& qualified) { return qualified.substr(0, qualified.find('.')); }

}  // namespace

std::string provider_acted_on(const world::World& world, const world::Action& action) {
  if (action.channel >= 0) return provider_in(world.channels[static_cast<std::size_t>(action.channel)].id);
  if (action.service >= 0) return world.services[static_cast<std::size_t>(action.service)].provider;
  if (action.record >= 0) return provider_in(world.records[static_cast<std::size_t>(action.record)].id);
  if (action.fault != world::FaultIndex::none) return provider_hit(world, world.faults[world::at(action.fault)]);
  return "";
}

std::string provider_hit(const world::World& world, const world::Fault& fault) {
  if (fault.channel >= 0) return provider_in(world.channels[static_cast<std::size_t>(fault.channel)].id);
  if (fault.service >= 0) return world.services[static_cast<std::size_t>(fault.service)].provider;
  if (!fault.instances.empty()) {
    const auto& instance = world.instances[static_cast<std::size_t>(fault.instances.front())];
    return world.services[static_cast<std::size_t>(instance.service)].provider;
  }
  if (fault.record >= 0) return provider_in(world.records[static_cast<std::size_t>(fault.record)].id);
  return fault.provider;
}

simgrid::s4u::Host* control_plane(const Context& context, const std::string& provider) {
  return context.host(world::control_plane_host(context.world().platform, provider));
}

}  // namespace outagesim::engine
