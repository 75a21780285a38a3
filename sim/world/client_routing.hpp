// Which region's instances serve which users (docs/models/routing.md): each
// service's first attempts, split over the client regions by user share and
// local time of day, routed by models/anycast_routing to the nearest
// regions with capacity over the backbone's round trips. A service that
// other services call gets their calls from the regions where they served
// the requests, and routes them the same way: a site's traffic follows its
// dependency chain. The service's own availability stays the queue model's
// (a pool of all its capacity); this is the view from each client region,
// and the latency routing adds.
#pragma once

#include "models/anycast_routing.hpp"
#include "sim/scenario/scenario.hpp"
#include "state.hpp"
#include "world.hpp"

#include <span>
#include <vector>

namespace outagesim::world {

/// Fills World::client_region_names and client_rtt_s from the scenario's
/// client regions, and marks the services that sites name as user-facing.
void add_client_routes(const scenario::Scenario& scenario, World& world);

struct ServiceRouting {
  /// Rows: the client regions (users of the sites), then every platform
  /// region (the origin of the calls of the services that call this one);
  /// columns: the platform regions that serve.
  models::AnycastRouting routing;
  std::vector<double> demand_rps;  ///< per client region: first attempts from the sites' users, before admission
  std::vector<double> calls_rps;   ///< per platform region: calls its callers make from there, before admission
  /// Per client region: share of its first attempts answered without error
  /// through the whole dependency chain.
  std::vector<double> availability;
  /// Per client region: mean latency of its requests served, through the chain.
  std::vector<double> latency_s;
  /// Per platform region: the same for a call made from there.
  std::vector<double> availability_from;
  /// Per platform region: mean latency of a call made from there, through the chain.
  std::vector<double> latency_from_s;
  // Per serving (platform) region:
  std::vector<double> capacity_rps;     ///< effective capacity of its instances up
  std::vector<double> quality;          ///< share of its answers without error
  std::vector<double> added_latency_s;  ///< mean latency injected, capacity-weighted, in seconds
  std::vector<double> dependencies;     ///< availability of what the service needs, as seen from there
  std::vector<double> downstream_s;     ///< mean latency its dependencies add to a request served there
  double admit = 1;   ///< share of what reaches it that it admits (throttling, shedding)
  double wait_s = 0;  ///< the service's mean queue wait (queue model, pooled)
  double memory = 1;  ///< with memory: the queue's share answered in time, times its lease share

  /// Requests served in platform region `region`, from every origin.
  [[nodiscard]] double served_in(std::size_t region) const;
  /// served_in() of every platform region at once.
  [[nodiscard]] std::vector<double> served_by_region() const;
};

/// Routes what reaches `service` at state.now_s: its users' first attempts
/// from the client regions and `calls_rps` (per platform region) from its
/// callers. Fills routing, demand, capacity, quality and added latency.
/// Requires client regions.
ServiceRouting route_demand(const World& world, const WorldState& state, int service, std::span<const double> calls_rps);

/// Completes `routed` from what its dependencies answer and take, per
/// serving region (`dependencies`, `downstream_s`), its queue's `wait_s` and
/// `memory`: the availability and latency seen from every origin.
void follow_chain(const World& world, ServiceRouting& routed, std::vector<double> dependencies,
                  std::vector<double> downstream_s, double wait_s, double memory);

/// `service` routed on its own: its users' first attempts only (no calls),
/// `dependencies` the availability of what it needs from every region.
ServiceRouting route_service(const World& world, const WorldState& state, int service, double dependencies);

struct RoutedTraffic {
  std::vector<ServiceRouting> services;  ///< per service
  /// Over the requests the client regions send to user-facing services:
  /// round trip to the serving region, plus the latency injected there, plus
  /// the service's mean queue wait, plus the mean latency of its dependency
  /// chain from there.
  double latency_p50_s = 0;
  double latency_p95_s = 0;
};

/// Every service routed at state.now_s, callers before the services they
/// call. Requires client regions.
RoutedTraffic route_traffic(const World& world, const WorldState& state);

}  // namespace outagesim::world
