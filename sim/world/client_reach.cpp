#include "client_reach.hpp"

#include <algorithm>

namespace outagesim::world {

namespace {

/// Whether partition fault `f` has one of the regions inside and the other out.
bool splits(const World& world, int f, int a, int b) {
  const auto& inside = world.faults[static_cast<std::size_t>(f)].regions;
  const auto is_inside = [&](int region) { return std::find(inside.begin(), inside.end(), region) != inside.end(); };
  return is_inside(a) != is_inside(b);
}

/// The oldest active dns_unreachable fault that cuts the resolvers of
/// platform region `from` off from `service`'s provider, or -1.
int dns_cut_off(const World& world, const WorldState& state, int from, int service) {
  const auto& provider = world.services[static_cast<std::size_t>(service)].provider;
  for (int f : state.dns_cut_offs) {
    const auto& fault = world.faults[static_cast<std::size_t>(f)];
    if (fault.provider == provider && std::find(fault.regions.begin(), fault.regions.end(), from) != fault.regions.end())
      return f;
  }
  return -1;
}

}  // namespace

bool separated(const World& world, const WorldState& state, int a, int b) {
  return std::any_of(state.partitions.begin(), state.partitions.end(),
                     [&](int f) { return splits(world, f, a, b); });
}

bool reaches(const World& world, const WorldState& state, int client, int service) {
  const int from = world.platform.clients[static_cast<std::size_t>(client)].region;
  if (dns_cut_off(world, state, from, service) >= 0) return false;
  for (int i : world.services[static_cast<std::size_t>(service)].instances)
    if (state.instances[static_cast<std::size_t>(i)].up &&
        !separated(world, state, from, world.instances[static_cast<std::size_t>(i)].region))
      return true;
  return false;
}

int cutting_fault(const World& world, const WorldState& state, int client, int service) {
  const int from = world.platform.clients[static_cast<std::size_t>(client)].region;
  for (int f : state.partitions)
    for (int i : world.services[static_cast<std::size_t>(service)].instances)
      if (splits(world, f, from, world.instances[static_cast<std::size_t>(i)].region)) return f;
  return dns_cut_off(world, state, from, service);
}

std::vector<double> request_shares(const World& world, double t_s) {
  return models::request_shares(world.diurnal, world.client_regions, world.start_epoch_s + t_s);
}

}  // namespace outagesim::world
