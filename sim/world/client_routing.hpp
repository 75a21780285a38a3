// Which region's instances serve which users (docs/models/routing.md): each
// service's first attempts, split over the client regions by user share and
// local time of day, routed by models/anycast_routing to the nearest
// regions with capacity over the backbone's round trips. The service's own
// availability stays the queue model's (a pool of all its capacity); this
// is the view from each client region, and the latency routing adds.
#pragma once

#include "models/anycast_routing.hpp"
#include "sim/scenario/scenario.hpp"
#include "state.hpp"
#include "world.hpp"

#include <vector>

namespace outagesim::world {

/// Fills World::client_region_names and client_rtt_s from the scenario's
/// client regions, and marks the services that sites name as user-facing.
void add_client_routes(const scenario::Scenario& scenario, World& world);

struct ServiceRouting {
  models::AnycastRouting routing;    ///< client regions x platform regions
  std::vector<double> demand_rps;    ///< first attempts per client region, before admission
  /// Per client region: share of its first attempts answered without error,
  /// times the availability of what the service depends on.
  std::vector<double> availability;
  /// Per platform region: mean latency injected into its instances up,
  /// capacity-weighted, in seconds.
  std::vector<double> added_latency_s;
};

/// Routes `service`'s first attempts at state.now_s; `dependencies` is the
/// availability of what it needs. Requires client regions.
ServiceRouting route_service(const World& world, const WorldState& state, int service, double dependencies);

struct RoutedTraffic {
  std::vector<ServiceRouting> services;  ///< per service
  /// Over the requests served by user-facing services: round trip to the
  /// serving region, plus the latency injected there, plus the service's
  /// mean queue wait.
  double latency_p50_s = 0;
  double latency_p95_s = 0;
};

/// Every service routed at state.now_s. Requires client regions.
RoutedTraffic route_traffic(const World& world, const WorldState& state);

}  // namespace outagesim::world
