#include "entity_availability.hpp"

#include "models/instance_pool.hpp"

namespace outagesim::metrics {
namespace {

/// world::pool_of over a list of instances (in instance order, as pool_of visits them).
double pool_of_instances(const world::World& world, const world::WorldState& state,
                         const std::vector<std::size_t>& instances, std::vector<models::InstanceLoad>& loads) {
  loads.clear();
  for (std::size_t i : instances) {
    const auto& s = state.instances[i];
    loads.push_back({world.instances[i].capacity_rps, s.error_rate, s.up, s.capacity_factor});
  }
  return models::pool_availability(loads);
}

}  // namespace

void EntityAvailabilitySeries::add_series(SeriesTable& table) {
  providers_ = provider_names(world_);
  sites_ = sites_with_series(world_);
  for (const auto& p : providers_) provider_.push_back(table.add(provider, p));
  for (const auto& s : world_.services) service_.push_back(table.add(service, s.id));
  for (const auto& r : world_.platform.regions) region_.push_back(table.add(region, r.name));
  for (std::size_t s : sites_) site_.push_back(table.add(site, world_.sites[s].name));
  provider_instances_.assign(providers_.size(), {});
  region_instances_.assign(world_.platform.regions.size(), {});
  for (std::size_t i = 0; i < world_.instances.size(); ++i) {
    const auto& instance = world_.instances[i];
    const std::string& owner = world_.services[static_cast<std::size_t>(instance.service)].provider;
    for (std::size_t k = 0; k < providers_.size(); ++k)
      if (providers_[k] == owner) provider_instances_[k].push_back(i);
    if (instance.region >= 0 && static_cast<std::size_t>(instance.region) < region_instances_.size())
      region_instances_[static_cast<std::size_t>(instance.region)].push_back(i);
  }
}

void EntityAvailabilitySeries::sample(const Sample& s, SeriesTable& table) const {
  const world::Availability& a = s.availability;
  for (std::size_t k = 0; k < service_.size(); ++k) table.push(service_[k], a.service[k]);
  std::vector<models::InstanceLoad> loads;
  for (std::size_t k = 0; k < providers_.size(); ++k)
    table.push(provider_[k], pool_of_instances(world_, s.state, provider_instances_[k], loads));
  for (std::size_t r = 0; r < region_.size(); ++r)
    table.push(region_[r], pool_of_instances(world_, s.state, region_instances_[r], loads));
  for (std::size_t k = 0; k < sites_.size(); ++k) table.push(site_[k], a.site[sites_[k]]);
}

}  // namespace outagesim::metrics
