// What each client region's users see of each service and site, and the
// latency routing adds (docs/models/routing.md); only with
// `traffic.client_regions`.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class RoutingSeries {
 public:
  static constexpr SeriesDeclaration service_availability{
      "service", "client_availability", "fraction", "`provider.service/client-region`, e.g. `cdn.edge/eu-west`",
      "scenarios with `traffic.client_regions` only: share of that client region's first attempts to the service "
      "that are routed to a region with room and answered without error, through the service's dependency chain as "
      "seen from the region that served each request (docs/models/routing.md, \"Dependency chains\"); one series per "
      "service and client region, client regions in declaration order"};
  static constexpr SeriesDeclaration latency_p50_s{
      "global", "latency_p50_s", "s", "empty",
      "scenarios with `traffic.client_regions` only: median over the requests served by the services sites name "
      "directly of the round trip between the users' region and the region serving them, plus latency injected "
      "there, plus the service's mean queue wait, plus the mean latency of its dependency chain from there; 0 when "
      "nothing is served"};
  static constexpr SeriesDeclaration latency_p95_s{
      "global", "latency_p95_s", "s", "empty",
      "scenarios with `traffic.client_regions` only: 95th percentile of the same latency"};
  static constexpr SeriesDeclaration service_latency{
      "service", "client_latency_s", "s", "`provider.service/client-region`",
      "scenarios with `traffic.client_regions` only: mean of the same latency over that client region's requests to "
      "the service that are served; for a region that sends it nothing, what a first request would take at the "
      "nearest region up; 0 when no region is up"};
  static constexpr SeriesDeclaration site_availability{
      "site", "client_availability", "fraction", "`site/client-region`, e.g. `shop.example/eu-west`",
      "scenarios with `traffic.client_regions` only, sites with series that depend on a DNS record (`kind: cached`, "
      "`record:`): the site's availability as that region's users see it, through their own resolvers' caches "
      "(docs/models/dns.md); the site's `availability` is the mean of these weighted by each region's share of the "
      "requests; client regions in declaration order"};
  static constexpr SeriesDeclaration client_availability{
      "client_region", "client_availability", "fraction", "client region",
      "scenarios with `traffic.client_regions` whose per-service series are aggregated (`output.client_series`): "
      "the service `client_availability` of the services sites name directly, weighted by the region's first "
      "attempts to each (unweighted when it sends none)"};
  static constexpr SeriesDeclaration client_latency{
      "client_region", "client_latency_s", "s", "client region",
      "the same scenarios: the service `client_latency_s` of the same services, weighted as above"};
  static constexpr std::array declared{service_availability, latency_p50_s,       latency_p95_s, service_latency,
                                       site_availability,    client_availability, client_latency};

  /// With `output.client_series: auto`, the per-service series are written up
  /// to this many (service, client region) pairs, and aggregated beyond.
  static constexpr std::size_t auto_pairs = 2'000;

  explicit RoutingSeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

  /// Whether the samples need each client region's view of the sites
  /// (world::evaluate's client_views).
  [[nodiscard]] bool needs_client_views() const { return !regional_sites_.empty(); }

 private:
  const world::World& world_;
  std::vector<std::size_t> regional_sites_;  ///< sites with series reached through a DNS record
  /// [service or regional site][client region]
  std::vector<std::vector<SeriesId>> service_availability_, service_latency_, site_availability_;
  bool per_service_ = true;  ///< a series per service and client region, else per client region
  std::vector<SeriesId> client_availability_, client_latency_;  ///< per client region, when aggregated
  SeriesId latency_p50_{}, latency_p95_{};
};

}  // namespace outagesim::metrics
