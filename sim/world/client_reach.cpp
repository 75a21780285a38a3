#include "client_reach.hpp"

#include <algorithm>

namespace outagesim::world {

bool separated(const World& world, const WorldState& state, int a, int b) {
  for (int f : state.partitions) {
    const auto& inside = world.faults[static_cast<std::size_t>(f)].regions;
    const bool a_inside = std::find(inside.begin(), inside.end(), a) != inside.end();
    const bool b_inside = std::find(inside.begin(), inside.end(), b) != inside.end();
    if (a_inside != b_inside) return true;
  }
  return false;
}

bool reaches(const World& world, const WorldState& state, int client, int service) {
  const int from = world.platform.clients[static_cast<std::size_t>(client)].region;
  for (int i : world.services[static_cast<std::size_t>(service)].instances)
    if (state.instances[static_cast<std::size_t>(i)].up &&
        !separated(world, state, from, world.instances[static_cast<std::size_t>(i)].region))
      return true;
  return false;
}

int cutting_partition(const World& world, const WorldState& state, int client, int service) {
  const int from = world.platform.clients[static_cast<std::size_t>(client)].region;
  for (int f : state.partitions) {
    const auto& inside = world.faults[static_cast<std::size_t>(f)].regions;
    auto is_inside = [&](int region) { return std::find(inside.begin(), inside.end(), region) != inside.end(); };
    for (int i : world.services[static_cast<std::size_t>(service)].instances)
      if (is_inside(from) != is_inside(world.instances[static_cast<std::size_t>(i)].region)) return f;
  }
  return -1;
}

std::vector<double> request_shares(const World& world, double t_s) {
  return models::request_shares(world.diurnal, world.client_regions, world.start_epoch_s + t_s);
}

}  // namespace outagesim::world
