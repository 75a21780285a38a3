#include "client_routing.hpp"

#include "availability.hpp"
#include "region_latency.hpp"

#include <algorithm>

namespace outagesim::world {

void add_client_routes(const scenario::Scenario& scenario, World& world) {
  const auto& regions = world.platform.regions;
  for (const auto& c : scenario.traffic.client_regions) {
    const Region client = locate_region(scenario, c.region);
    world.client_region_names.push_back(c.region);
    for (const auto& server : regions) world.client_rtt_s.push_back(2 * region_latency_s(scenario, client, server));
  }
  for (const auto& site : world.sites)
    for (const auto& d : site.dependencies)
      for (int s : d.services) world.services[static_cast<std::size_t>(s)].user_facing = true;
}

ServiceRouting route_service(const World& world, const WorldState& state, int service, double dependencies) {
  const auto s = static_cast<std::size_t>(service);
  const auto& spec = world.services[s];
  const auto& load = state.services[s];
  const std::size_t clients = world.client_regions.size();
  const std::size_t servers = world.platform.regions.size();

  // Capacity, error-free answers and injected latency by region, as the queue model counts them.
  std::vector<double> capacity(servers, 0.0), healthy(servers, 0.0);
  ServiceRouting out;
  out.added_latency_s.assign(servers, 0.0);
  for (int i : spec.instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up) continue;
    const auto& placed = world.instances[static_cast<std::size_t>(i)];
    const auto r = static_cast<std::size_t>(placed.region);
    const double effective = placed.capacity_rps * std::clamp(instance.capacity_factor, 0.0, 1.0) * load.capacity_scale;
    capacity[r] += effective;
    healthy[r] += effective * (1.0 - instance.error_rate);
    out.added_latency_s[r] += effective * instance.added_latency_s;
  }
  for (std::size_t r = 0; r < servers; ++r)
    if (capacity[r] > 0) out.added_latency_s[r] /= capacity[r];

  // Each region's users at their own time of day; the sum is the queue model's first attempts.
  const double epoch_s = world.start_epoch_s + state.now_s;
  double users = 0;
  for (const auto& c : world.client_regions) users += c.users;
  std::vector<double> admitted(clients);
  out.demand_rps.resize(clients);
  for (std::size_t c = 0; c < clients; ++c) {
    const auto& region = world.client_regions[c];
    const double share = users > 0 ? region.users / users : 0.0;
    out.demand_rps[c] = spec.offered_rps * load.load_factor * share *
                        models::local_demand_factor(world.diurnal, region, epoch_s);
    admitted[c] = out.demand_rps[c] * load.admit;
  }
  out.routing = models::route_anycast(admitted, capacity, world.client_rtt_s);

  out.availability.resize(clients);
  for (std::size_t c = 0; c < clients; ++c) {
    double answered = 0;
    if (out.demand_rps[c] > 0) {
      for (std::size_t r = 0; r < servers; ++r)
        if (capacity[r] > 0) answered += out.routing.served(c, r) * healthy[r] / capacity[r];
      answered /= out.demand_rps[c];
    } else {
      // No load from here: what a first request would meet at the nearest region up.
      for (std::size_t r : models::preference(world.client_rtt_s, servers, c))
        if (capacity[r] > 0) {
          answered = load.admit * healthy[r] / capacity[r];
          break;
        }
    }
    out.availability[c] = std::clamp(answered, 0.0, 1.0) * dependencies;
  }
  return out;
}

RoutedTraffic route_traffic(const World& world, const WorldState& state) {
  RoutedTraffic out;
  // What each service depends on as each client region sees it: its
  // lookups through a DNS record go to that region's resolvers.
  std::vector<std::vector<double>> needs_by_client;
  const std::vector<double> needs = dependency_availability(world, state, &needs_by_client);
  const std::size_t servers = world.platform.regions.size();
  std::vector<models::WeightedLatency> cells;
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    const int service = static_cast<int>(s);
    out.services.push_back(route_service(world, state, service, 1.0));
    for (std::size_t c = 0; c < needs_by_client.size(); ++c) out.services.back().availability[c] *= needs_by_client[c][s];
    if (!world.services[s].user_facing) continue;
    const ServiceRouting& routed = out.services.back();
    const double wait_s = service_outcome(world, state, service, needs[s]).wait_s;
    for (std::size_t c = 0; c < routed.routing.clients; ++c)
      for (std::size_t r = 0; r < servers; ++r)
        if (const double rps = routed.routing.served(c, r); rps > 0)
          cells.push_back({world.client_rtt_s[c * servers + r] + routed.added_latency_s[r] + wait_s, rps});
  }
  out.latency_p50_s = models::latency_percentile(cells, 0.50);
  out.latency_p95_s = models::latency_percentile(std::move(cells), 0.95);
  return out;
}

}  // namespace outagesim::world
