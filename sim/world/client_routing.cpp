#include "client_routing.hpp"

#include "availability.hpp"
#include "region_latency.hpp"
#include "regional_surge.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace outagesim::world {

void add_client_routes(const scenario::Scenario& scenario, World& world) {
  const auto& regions = world.platform.regions;
  for (const auto& c : scenario.traffic.client_regions) {
    const Region client = locate_region(scenario, c.region);
    world.client_region_names.push_back(c.region);
    for (const auto& server : regions) world.client_rtt_s.push_back(2 * region_latency_s(scenario, client, server));
  }
  if (world.client_region_names.empty()) return;
  // Calls between services start where the caller served the request.
  for (const auto& caller : regions)
    for (const auto& server : regions) world.client_rtt_s.push_back(2 * region_latency_s(scenario, caller, server));
  world.client_preferences = models::preferences(world.client_rtt_s, regions.size());
  for (const auto& site : world.sites)
    for (const auto& d : site.dependencies)
      for (int s : d.services) world.services[static_cast<std::size_t>(s)].user_facing = true;
}

double ServiceRouting::served_in(std::size_t region) const {
  double total = 0;
  for (std::size_t o = 0; o < routing.clients; ++o) total += routing.served(o, region);
  return total;
}

std::vector<double> ServiceRouting::served_by_region() const { return routing.served_by_server(); }

namespace {

/// Each client region's time-of-day factor now: the same for every service
/// of a sample, so computed once per sample.
std::vector<double> local_factors(const World& world, const WorldState& state) {
  const double epoch_s = world.start_epoch_s + state.now_s;
  std::vector<double> factors;
  factors.reserve(world.client_regions.size());
  for (const auto& region : world.client_regions)
    factors.push_back(models::local_demand_factor(world.diurnal, region, epoch_s));
  return factors;
}

ServiceRouting route_demand_at(const World& world, const WorldState& state, int service,
                               std::span<const double> calls_rps, const std::vector<double>& local_factor);

}  // namespace

ServiceRouting route_demand(const World& world, const WorldState& state, int service, std::span<const double> calls_rps) {
  return route_demand_at(world, state, service, calls_rps, local_factors(world, state));
}

namespace {

ServiceRouting route_demand_at(const World& world, const WorldState& state, int service,
                               std::span<const double> calls_rps, const std::vector<double>& local_factor) {
  const auto s = static_cast<std::size_t>(service);
  const auto& spec = world.services[s];
  const auto& load = state.services[s];
  const std::size_t clients = world.client_regions.size();
  const std::size_t servers = world.platform.regions.size();

  // Capacity, error-free answers and injected latency by region, as the queue model counts them.
  ServiceRouting out;
  out.capacity_rps.assign(servers, 0.0);
  out.quality.assign(servers, 0.0);
  out.added_latency_s.assign(servers, 0.0);
  for (int i : spec.instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up) continue;
    const auto& placed = world.instances[static_cast<std::size_t>(i)];
    const auto r = static_cast<std::size_t>(placed.region);
    const double effective = placed.capacity_rps * std::clamp(instance.capacity_factor, 0.0, 1.0) * load.capacity_scale;
    out.capacity_rps[r] += effective;
    out.quality[r] += effective * (1.0 - instance.error_rate);
    out.added_latency_s[r] += effective * instance.added_latency_s;
  }
  for (std::size_t r = 0; r < servers; ++r)
    if (out.capacity_rps[r] > 0) {
      out.added_latency_s[r] /= out.capacity_rps[r];
      out.quality[r] /= out.capacity_rps[r];
    }

  // Each region's users at their own time of day: with the calls of the
  // service's callers, the sum is the queue model's first attempts while
  // the callers serve everything they are offered.
  double users = 0;
  for (const auto& c : world.client_regions) users += c.users;
  // What it admits of what reaches it; the edge turns away its share first.
  const double admit = load.admit * (1.0 - load.turned_away);
  std::vector<double> admitted(clients + servers, 0.0);
  out.demand_rps.resize(clients);
  for (std::size_t c = 0; c < clients; ++c) {
    const auto& region = world.client_regions[c];
    const double share = users > 0 ? region.users / users : 0.0;
    out.demand_rps[c] = spec.site_rps * load.load_factor * load.demand_factor *
                        regional_surge_factor(world, state, service, c) * share * local_factor[c];
    admitted[c] = out.demand_rps[c] * admit;
  }
  // A surge on the service multiplies its callers' calls too: it is the service's offered load that grows.
  // A regional surge grows the calls as the queue model does: by its mean over the client regions.
  out.calls_rps.assign(servers, 0.0);
  const double calls_factor = load.load_factor * load.demand_factor * regional_surge_mean(world, state, service);
  for (std::size_t r = 0; r < calls_rps.size() && r < servers; ++r) {
    out.calls_rps[r] = calls_rps[r] * calls_factor;
    admitted[clients + r] = out.calls_rps[r] * admit;
  }
  out.admit = admit;
  out.routing = models::route_anycast(admitted, out.capacity_rps, world.client_rtt_s, world.client_preferences,
                                      /*with_latency=*/false);
  return out;
}

/// models::latency_percentile at 50% and 95%, from one sort of the cells
/// (the same rule: the lower weighted quantile, stable by latency).
std::pair<double, double> median_and_p95(std::vector<models::WeightedLatency> cells) {
  std::erase_if(cells, [](const models::WeightedLatency& w) { return !(w.rps > 0); });
  if (cells.empty()) return {0.0, 0.0};
  std::stable_sort(cells.begin(), cells.end(), [](const models::WeightedLatency& a, const models::WeightedLatency& b) {
    return a.latency_s < b.latency_s;
  });
  double total = 0;
  for (const auto& w : cells) total += w.rps;
  const auto at = [&](double p) {
    const double needed = p * total;
    double seen = 0;
    for (const auto& w : cells) {
      seen += w.rps;
      if (seen >= needed * (1 - 1e-12)) return w.latency_s;
    }
    return cells.back().latency_s;
  };
  return {at(0.50), at(0.95)};
}

}  // namespace

void follow_chain(const World& world, ServiceRouting& routed, std::vector<double> dependencies,
                  std::vector<double> downstream_s, double wait_s, double memory) {
  const std::size_t servers = world.platform.regions.size();
  const std::size_t clients = world.client_regions.size();
  routed.dependencies = std::move(dependencies);
  routed.downstream_s = std::move(downstream_s);
  routed.wait_s = wait_s;
  routed.memory = memory;

  // A request served in region r is answered through the chain with this
  // probability, and takes this long once it gets there.
  std::vector<double> answered(servers), beyond_s(servers);
  for (std::size_t r = 0; r < servers; ++r) {
    answered[r] = routed.quality[r] * routed.dependencies[r];
    beyond_s[r] = routed.added_latency_s[r] + wait_s + routed.downstream_s[r];
  }

  routed.availability.assign(clients, 0.0);
  routed.latency_s.assign(clients, 0.0);
  routed.availability_from.assign(servers, 0.0);
  routed.latency_from_s.assign(servers, 0.0);
  for (std::size_t o = 0; o < clients + servers; ++o) {
    const double demand = o < clients ? routed.demand_rps[o] : routed.calls_rps[o - clients];
    const double* rtt = world.client_rtt_s.data() + o * servers;
    double availability = 0, latency_s = 0;
    if (demand > 0) {
      double ok = 0, served = 0, weighted = 0;
      for (const auto& [r, rps] : routed.routing.served_from(o)) {
        ok += rps * answered[r];
        served += rps;
        weighted += rps * (rtt[r] + beyond_s[r]);
      }
      availability = ok / demand;
      latency_s = served > 0 ? weighted / served : 0.0;
    } else {
      // No load from here: what a first request would meet at the nearest region up.
      // The first region up in the origin's order of preference (by latency, ties by index).
      std::size_t nearest = servers;
      const std::size_t* order = world.client_preferences.of(o);
      for (std::size_t k = 0; k < servers; ++k)
        if (routed.capacity_rps[order[k]] > 0) {
          nearest = order[k];
          break;
        }
      if (nearest < servers) {
        availability = routed.admit * answered[nearest];
        latency_s = rtt[nearest] + beyond_s[nearest];
      }
    }
    availability = std::clamp(availability, 0.0, 1.0) * memory;
    if (o < clients) {
      routed.availability[o] = availability;
      routed.latency_s[o] = latency_s;
    } else {
      routed.availability_from[o - clients] = availability;
      routed.latency_from_s[o - clients] = latency_s;
    }
  }
}

ServiceRouting route_service(const World& world, const WorldState& state, int service, double dependencies) {
  const std::size_t servers = world.platform.regions.size();
  ServiceRouting routed = route_demand(world, state, service, {});
  follow_chain(world, routed, std::vector<double>(servers, dependencies), std::vector<double>(servers, 0.0), 0.0, 1.0);
  return routed;
}

namespace {

/// One dependency of a service as its calls see it now: which services the
/// calls reach, each with the share of the dependency's calls it gets
/// (docs/models/routing.md, "Dependency chains").
struct ChainLink {
  Dependency dependency;
  std::vector<std::pair<int, double>> calls;
  CachedView cached;
};

std::vector<ChainLink> chain_links(const World& world, const WorldState& state, int service,
                                   const std::vector<models::QueueOutcome>& pooled, std::vector<Dependency>& buffer) {
  std::vector<ChainLink> links;
  for (const Dependency& d : dependencies_now(world, state, service, buffer)) {
    ChainLink link{d, {}, {}};
    if (d.cached) {
      link.cached = cached_view(world, state, d);
      // Through a record: to the services the held answers name; a cache of
      // the service's own answers: to the service, as its offered load counts.
      if (d.record >= 0) link.calls = link.cached.answers;
      else link.calls.push_back({d.services.front(), 1.0});
    } else if (d.rule == models::DependencyRule::look_aside) {
      // Every read to the cache; what it misses or fails to answer on to the store.
      const int cache = d.services[0];
      link.calls.push_back({cache, 1.0});
      link.calls.push_back(
          {d.services[1], 1.0 - look_aside_hit_rate(state, d) * pooled[static_cast<std::size_t>(cache)].availability});
    } else if (d.rule == models::DependencyRule::any_of) {
      // To the first alternative, and what fails there on to the next.
      double reaching = 1.0;
      for (int t : d.services) {
        link.calls.push_back({t, reaching});
        reaching *= 1.0 - pooled[static_cast<std::size_t>(t)].availability;
      }
    } else {
      std::size_t n = d.services.size();
      if (d.rule == models::DependencyRule::k_of_n) n = std::min(n, static_cast<std::size_t>(std::max(1, d.k)));
      for (std::size_t i = 0; i < n; ++i) link.calls.push_back({d.services[i], 1.0});
    }
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace

RoutedTraffic route_traffic(const World& world, const WorldState& state) {
  const std::size_t services = world.services.size();
  const std::size_t servers = world.platform.regions.size();
  std::vector<double> needs;
  const std::vector<models::QueueOutcome> pooled = service_outcomes(world, state, needs);

  // Callers first: each service's served requests become calls, from the
  // region that served them, to the services it depends on.
  RoutedTraffic out;
  out.services.resize(services);
  const std::vector<double> local_factor = local_factors(world, state);
  std::vector<std::vector<double>> calls(services, std::vector<double>(servers, 0.0));
  std::vector<std::vector<ChainLink>> links(services);
  std::vector<Dependency> buffer;
  std::vector<double> served;
  for (auto it = world.service_order.rbegin(); it != world.service_order.rend(); ++it) {
    const auto s = static_cast<std::size_t>(*it);
    out.services[s] = route_demand_at(world, state, *it, calls[s], local_factor);
    links[s] = chain_links(world, state, *it, pooled, buffer);
    if (links[s].empty()) continue;
    served = out.services[s].served_by_region();
    for (const auto& link : links[s])
      for (const auto& [target, weight] : link.calls)
        for (std::size_t r = 0; r < servers; ++r)
          calls[static_cast<std::size_t>(target)][r] += served[r] * link.dependency.share * weight;
  }

  // Then what each service's dependencies answer, and take, from each region it serves in.
  std::vector<models::DependencyState> states;
  std::vector<std::vector<double>> targets;
  std::vector<bool> answered(services, false);
  for (int service : world.service_order) {
    const auto s = static_cast<std::size_t>(service);
    // service_order puts what a service may call (reroutes and DNS answers included) before it.
    const auto ready = [&](int t) { return answered[static_cast<std::size_t>(t)]; };
    for (const auto& link : links[s]) {
      const bool targets_ready = std::all_of(link.dependency.services.begin(), link.dependency.services.end(), ready);
      const bool calls_ready = std::all_of(link.calls.begin(), link.calls.end(), [&](const auto& c) { return ready(c.first); });
      if (!targets_ready || !calls_ready) throw std::logic_error("route_traffic: a dependency ordered after its caller");
    }
    std::vector<double> dependencies(servers, 1.0), downstream_s(servers, 0.0);
    if (targets.size() < links[s].size()) targets.resize(links[s].size());
    // A dependency pinned to a variant answers as that variant's instances
    // do, pooled over the regions (docs/models/routing.md).
    std::vector<double> pinned(links[s].size(), 1.0);
    for (std::size_t l = 0; l < links[s].size(); ++l) {
      const Dependency& d = links[s][l].dependency;
      if (d.cached || d.variant < 0) continue;
      pinned[l] = variant_pool(world, state, d.services.front(), d.variant);
    }
    for (std::size_t r = 0; r < servers; ++r) {
      const auto from = [&](int t) { return out.services[static_cast<std::size_t>(t)].availability_from[r]; };
      const auto latency = [&](int t) { return out.services[static_cast<std::size_t>(t)].latency_from_s[r]; };
      states.clear();
      for (std::size_t l = 0; l < links[s].size(); ++l) {
        const ChainLink& link = links[s][l];
        const Dependency& d = link.dependency;
        targets[l].clear();
        if (d.cached) targets[l].push_back(link.cached.availability(from));
        else if (d.variant >= 0) targets[l].push_back(pinned[l]);
        else
          for (int t : d.services) targets[l].push_back(from(t));
        states.push_back({d.rule, targets[l], d.k, d.share, look_aside_hit_rate(state, d)});
        // A soft dependency's calls travel but nobody waits for them.
        if (d.rule == models::DependencyRule::soft) continue;
        double took_s = 0;
        for (const auto& [target, weight] : link.calls)
          took_s = d.rule == models::DependencyRule::k_of_n ? std::max(took_s, latency(target))
                                                            : took_s + weight * latency(target);
        downstream_s[r] += d.share * took_s;
      }
      dependencies[r] = models::site_availability(states);
    }
    const auto& queue = pooled[s];
    const double memory = world.services[s].has_memory() ? queue.in_time * queue.lease_share : 1.0;
    follow_chain(world, out.services[s], std::move(dependencies), std::move(downstream_s), queue.wait_s, memory);
    answered[s] = true;
  }

  // Latency over what the users send to the services the sites name; calls
  // between services are inside their callers' requests.
  std::vector<models::WeightedLatency> cells;
  for (std::size_t s = 0; s < services; ++s) {
    if (!world.services[s].user_facing) continue;
    const ServiceRouting& routed = out.services[s];
    for (std::size_t c = 0; c < world.client_regions.size(); ++c)
      for (const auto& [r, rps] : routed.routing.served_from(c))
        cells.push_back({world.client_rtt_s[c * servers + r] + routed.added_latency_s[r] + routed.wait_s +
                             routed.downstream_s[r],
                         rps});
  }
  std::tie(out.latency_p50_s, out.latency_p95_s) = median_and_p95(std::move(cells));
  return out;
}

}  // namespace outagesim::world
