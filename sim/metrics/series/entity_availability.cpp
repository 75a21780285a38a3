#include "entity_availability.hpp"

namespace outagesim::metrics {

void EntityAvailabilitySeries::add_series(SeriesTable& table) {
  providers_ = provider_names(world_);
  sites_ = sites_with_series(world_);
  for (const auto& p : providers_) provider_.push_back(table.add(provider, p));
  for (const auto& s : world_.services) service_.push_back(table.add(service, s.id));
  for (const auto& r : world_.platform.regions) region_.push_back(table.add(region, r.name));
  for (std::size_t s : sites_) site_.push_back(table.add(site, world_.sites[s].name));
}

void EntityAvailabilitySeries::sample(const Sample& s, SeriesTable& table) const {
  const world::Availability& a = s.availability;
  for (std::size_t k = 0; k < service_.size(); ++k) table.push(service_[k], a.service[k]);
  for (std::size_t k = 0; k < providers_.size(); ++k) {
    const std::string& name = providers_[k];
    table.push(provider_[k], world::pool_of(world_, s.state, [&](const world::Instance& i) {
                 return world_.services[static_cast<std::size_t>(i.service)].provider == name;
               }));
  }
  for (std::size_t r = 0; r < region_.size(); ++r)
    table.push(region_[r],
               world::pool_of(world_, s.state, [&](const world::Instance& i) { return i.region == static_cast<int>(r); }));
  for (std::size_t k = 0; k < sites_.size(); ++k) table.push(site_[k], a.site[sites_[k]]);
}

}  // namespace outagesim::metrics
