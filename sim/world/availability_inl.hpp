// Template definitions of availability.hpp.
#pragma once

#include "models/instance_pool.hpp"

namespace outagesim::world {

template <class Include>
double pool_of(const World& world, const WorldState& state, Include include) {
  std::vector<models::InstanceLoad> loads;
  for (std::size_t i = 0; i < world.instances.size(); ++i) {
    if (!include(world.instances[i])) continue;
    const auto& s = state.instances[i];
    loads.push_back({world.instances[i].capacity_rps, s.error_rate, s.up, s.capacity_factor});
  }
  return models::pool_availability(loads);
}

}  // namespace outagesim::world
