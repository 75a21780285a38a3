#include "routing.hpp"

#include "sim/world/client_routing.hpp"

namespace outagesim::metrics {
namespace {

/// One series per client region of `entity`, in declaration order.
std::vector<SeriesId> per_client_region(SeriesTable& table, const world::World& world,
                                        const SeriesDeclaration& declared, const std::string& entity) {
  std::vector<SeriesId> ids;
  for (const auto& region : world.client_region_names) ids.push_back(table.add(declared, entity + "/" + region));
  return ids;
}

}  // namespace

void RoutingSeries::add_series(SeriesTable& table) {
  if (world_.client_region_names.empty()) return;
  const std::size_t pairs = world_.services.size() * world_.client_region_names.size();
  per_service_ = world_.client_series == scenario::ClientSeries::all ||
                 (world_.client_series == scenario::ClientSeries::auto_ && pairs <= auto_pairs);
  if (per_service_)
    for (const auto& s : world_.services)
      service_availability_.push_back(per_client_region(table, world_, service_availability, s.id));
  latency_p50_ = table.add(latency_p50_s, "");
  latency_p95_ = table.add(latency_p95_s, "");
  if (per_service_)
    for (const auto& s : world_.services)
      service_latency_.push_back(per_client_region(table, world_, service_latency, s.id));
  // Sites reached through a DNS record, as each region's users see them
  // through their own resolvers (docs/models/dns.md).
  for (std::size_t s : sites_with_series(world_)) {
    if (world::through_records(world_.sites[s].dependencies) == 0) continue;
    regional_sites_.push_back(s);
    site_availability_.push_back(per_client_region(table, world_, site_availability, world_.sites[s].name));
  }
  if (per_service_) return;
  for (const auto& region : world_.client_region_names) client_availability_.push_back(table.add(client_availability, region));
  for (const auto& region : world_.client_region_names) client_latency_.push_back(table.add(client_latency, region));
}

void RoutingSeries::sample(const Sample& s, SeriesTable& table) const {
  if (world_.client_region_names.empty()) return;
  const world::RoutedTraffic routed = world::route_traffic(world_, s.state);
  if (per_service_)
    for (std::size_t k = 0; k < routed.services.size(); ++k)
      for (std::size_t r = 0; r < routed.services[k].availability.size(); ++r)
        table.push(service_availability_[k][r], routed.services[k].availability[r]);
  table.push(latency_p50_, routed.latency_p50_s);
  table.push(latency_p95_, routed.latency_p95_s);
  if (per_service_)
    for (std::size_t k = 0; k < routed.services.size(); ++k)
      for (std::size_t r = 0; r < routed.services[k].latency_s.size(); ++r)
        table.push(service_latency_[k][r], routed.services[k].latency_s[r]);
  for (std::size_t k = 0; k < regional_sites_.size(); ++k) {
    const auto& views = s.availability.site_by_client[regional_sites_[k]];
    for (std::size_t r = 0; r < views.size(); ++r) table.push(site_availability_[k][r], views[r]);
  }
  if (per_service_) return;
  // Per client region, over the services the sites name, weighted by the region's first attempts to each.
  const std::size_t regions = world_.client_region_names.size();
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t r = 0; r < regions; ++r) {
      double weighted = 0, demand = 0, plain = 0;
      int services = 0;
      for (std::size_t k = 0; k < routed.services.size(); ++k) {
        if (!world_.services[k].user_facing) continue;
        const auto& service = routed.services[k];
        const double value = pass == 0 ? service.availability[r] : service.latency_s[r];
        weighted += service.demand_rps[r] * value;
        demand += service.demand_rps[r];
        plain += value;
        ++services;
      }
      const double value = demand > 0 ? weighted / demand : services > 0 ? plain / services : (pass == 0 ? 1.0 : 0.0);
      table.push(pass == 0 ? client_availability_[r] : client_latency_[r], value);
    }
}

}  // namespace outagesim::metrics
