#include "failed_rates.hpp"

namespace outagesim::metrics {

void FailedRateSeries::add_series(SeriesTable& table) {
  providers_ = provider_names(world_);
  sites_ = sites_with_series(world_);
  for (const auto& p : providers_) provider_.push_back(table.add(provider, p));
  for (const auto& s : world_.services) service_.push_back(table.add(service, s.id));
  for (std::size_t s : sites_) site_.push_back(table.add(site, world_.sites[s].name));
}

void FailedRateSeries::sample(const Sample& s, SeriesTable& table) const {
  // A service fails the share of the load offered to it (after surges) that
  // it does not serve; a provider, the sum over its services.
  const world::Availability& a = s.availability;
  std::vector<double> service_failed(world_.services.size());
  for (std::size_t k = 0; k < world_.services.size(); ++k)
    service_failed[k] =
        world_.services[k].offered_rps * s.state.services[k].load_factor * s.demand * (1.0 - a.service[k]);
  for (std::size_t p = 0; p < providers_.size(); ++p) {
    double failed = 0;
    for (std::size_t k = 0; k < world_.services.size(); ++k)
      if (world_.services[k].provider == providers_[p]) failed += service_failed[k];
    table.push(provider_[p], failed);
  }
  for (std::size_t k = 0; k < service_.size(); ++k) table.push(service_[k], service_failed[k]);
  for (std::size_t k = 0; k < sites_.size(); ++k)
    table.push(site_[k], world_.sites[sites_[k]].rps * s.demand * (1.0 - a.site[sites_[k]]));
}

}  // namespace outagesim::metrics
