#include "regional_surge.hpp"

#include "models/diurnal_demand.hpp"

#include <algorithm>

namespace outagesim::world {

double regional_surge_factor(const World& world, const WorldState& state, int service, std::size_t client) {
  const int region = world.platform.clients[client].region;
  double factor = 1;
  for (int g : state.services[static_cast<std::size_t>(service)].surges) {
    const auto& fault = world.faults[static_cast<std::size_t>(g)];
    if (!fault.regions.empty() && std::find(fault.regions.begin(), fault.regions.end(), region) != fault.regions.end())
      factor *= surge_load_factor(fault);
  }
  return factor;
}

double regional_surge_mean(const World& world, const WorldState& state, int service) {
  const auto& surges = state.services[static_cast<std::size_t>(service)].surges;
  const bool any = std::any_of(surges.begin(), surges.end(), [&](int g) {
    return !world.faults[static_cast<std::size_t>(g)].regions.empty();
  });
  if (!any) return 1.0;
  const double epoch_s = world.start_epoch_s + state.now_s;
  double load = 0, surged = 0;
  for (std::size_t c = 0; c < world.client_regions.size(); ++c) {
    const auto& region = world.client_regions[c];
    const double sent = region.users * models::local_demand_factor(world.diurnal, region, epoch_s);
    load += sent;
    surged += sent * regional_surge_factor(world, state, service, c);
  }
  return load > 0 ? surged / load : 1.0;
}

}  // namespace outagesim::world
