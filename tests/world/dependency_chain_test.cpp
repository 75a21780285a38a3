// A site's traffic follows its dependency chain across regions
// (docs/models/routing.md, "Dependency chains"): a service that others call
// gets their calls from the regions where they served the requests, routes
// them to its nearest regions with capacity, and what a client region sees
// is the product along the chain; latency adds each hop's round trip.
// Every expected value below is worked out by hand from the scenarios'
// numbers and the round trips they set (twice the one-way latencies).
#include "sim/world/client_routing.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"

#include <gtest/gtest.h>

#include <string>

namespace outagesim::world {
namespace {

// One-way latencies between every pair of the five regions used, so that
// every round trip is a round number: eu-west - eu-central 10 ms,
// na-east - na-central 20 ms, eu-west - na-east 70 ms, na-east -
// eu-central 80 ms, eu-west - na-central 90 ms, eu-central - na-central 100 ms.
constexpr const char* latencies = R"(
network:
  latencies:
    - {from: eu-west, to: eu-central, latency: 5ms}
    - {from: na-east, to: na-central, latency: 10ms}
    - {from: eu-west, to: na-east, latency: 35ms}
    - {from: na-east, to: eu-central, latency: 40ms}
    - {from: eu-west, to: na-central, latency: 45ms}
    - {from: eu-central, to: na-central, latency: 50ms}
)";

// A CDN with PoPs in eu-west and na-east (30k rps each); a quarter of its
// requests (the cache misses) go to an origin with 8k rps in eu-central and
// in na-central. 40k rps of users, half in each PoP region.
constexpr const char* cdn_and_origin = R"(
scenario: {name: cdn-and-origin, start: 2025-06-02T12:00:00Z, duration: 1h}
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 2, na-east: 2}
        capacity: 15k rps
        depends_on: [{target: cloud.origin, share: 25%}]
  - name: cloud
    services:
      - name: origin
        instances: {eu-central: 1, na-central: 1}
        capacity: 8k rps
sites:
  - {name: shop.example, rps: 40k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions:
    - {region: eu-west, users: 50%}
    - {region: na-east, users: 50%}
)";

World build_with_latencies(const std::string& scenario, const std::string& name) {
  return build(scenario::load_from_string(scenario + latencies, name));
}

std::size_t region_of(const World& w, const std::string& name) {
  for (std::size_t r = 0; r < w.platform.regions.size(); ++r)
    if (w.platform.regions[r].name == name) return r;
  throw std::runtime_error("no region " + name);
}

int service_of(const World& w, const std::string& id) {
  for (std::size_t s = 0; s < w.services.size(); ++s)
    if (w.services[s].id == id) return static_cast<int>(s);
  throw std::runtime_error("no service " + id);
}

void set_instances(const World& w, WorldState& state, int service, const std::string& region, auto change) {
  for (int i : w.services[static_cast<std::size_t>(service)].instances)
    if (w.instances[static_cast<std::size_t>(i)].region == static_cast<int>(region_of(w, region)))
      change(state.instances[static_cast<std::size_t>(i)]);
}

TEST(DependencyChain, TheOriginGetsItsCallsFromTheRegionsWhereTheCdnServed) {
  const World w = build_with_latencies(cdn_and_origin, "cdn-and-origin.yaml");
  const int edge = service_of(w, "cdn.edge"), origin = service_of(w, "cloud.origin");
  const std::size_t ew = region_of(w, "eu-west"), ne = region_of(w, "na-east");
  const std::size_t ec = region_of(w, "eu-central"), nc = region_of(w, "na-central");
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(edge)].site_rps, 40e3);
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(origin)].site_rps, 0.0);
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(origin)].offered_rps, 10e3);

  const WorldState state = WorldState::initial(w);
  const RoutedTraffic t = route_traffic(w, state);
  const ServiceRouting& e = t.services[static_cast<std::size_t>(edge)];
  const ServiceRouting& o = t.services[static_cast<std::size_t>(origin)];
  // Each PoP region serves its own 20k and calls the origin for a quarter of it, from there.
  EXPECT_DOUBLE_EQ(e.served_in(ew), 20e3);
  EXPECT_DOUBLE_EQ(e.served_in(ne), 20e3);
  EXPECT_EQ(o.demand_rps, (std::vector<double>{0.0, 0.0}));  // no user calls the origin directly
  EXPECT_DOUBLE_EQ(o.calls_rps[ew], 5e3);
  EXPECT_DOUBLE_EQ(o.calls_rps[ne], 5e3);
  // Traffic conserved along the chain: the origin's calls are its offered load.
  double calls = 0;
  for (double c : o.calls_rps) calls += c;
  EXPECT_DOUBLE_EQ(calls, w.services[static_cast<std::size_t>(origin)].offered_rps);
  // Each PoP region's calls go to its nearest origin region.
  const std::size_t clients = w.client_regions.size();
  EXPECT_DOUBLE_EQ(o.routing.served(clients + ew, ec), 5e3);
  EXPECT_DOUBLE_EQ(o.routing.served(clients + ne, nc), 5e3);
  EXPECT_DOUBLE_EQ(o.latency_from_s[ew], 0.010);
  EXPECT_DOUBLE_EQ(o.latency_from_s[ne], 0.020);
  // A request served at a PoP waits for its miss: a quarter of the round trip, on average.
  EXPECT_DOUBLE_EQ(e.downstream_s[ew], 0.25 * 0.010);
  EXPECT_DOUBLE_EQ(e.downstream_s[ne], 0.25 * 0.020);
  EXPECT_EQ(e.availability, (std::vector<double>{1.0, 1.0}));
  // Half the requests at 2.5 ms (eu-west), half at 5 ms (na-east).
  EXPECT_DOUBLE_EQ(t.latency_p50_s, 0.0025);
  EXPECT_DOUBLE_EQ(t.latency_p95_s, 0.005);
}

TEST(DependencyChain, WhenTheNearestOriginRegionFailsItsCallersSpillToTheOther) {
  const World w = build_with_latencies(cdn_and_origin, "cdn-and-origin.yaml");
  const int edge = service_of(w, "cdn.edge"), origin = service_of(w, "cloud.origin");
  const std::size_t ew = region_of(w, "eu-west"), ne = region_of(w, "na-east"), nc = region_of(w, "na-central");
  const std::size_t clients = w.client_regions.size();
  WorldState state = WorldState::initial(w);
  set_instances(w, state, origin, "eu-central", [](InstanceState& i) { i.up = false; });

  // na-central has 8k: na-east's 5k first (its nearest), then 3k of eu-west's 5k.
  RoutedTraffic t = route_traffic(w, state);
  const ServiceRouting* o = &t.services[static_cast<std::size_t>(origin)];
  EXPECT_DOUBLE_EQ(o->routing.served(clients + ne, nc), 5e3);
  EXPECT_DOUBLE_EQ(o->routing.served(clients + ew, nc), 3e3);
  EXPECT_DOUBLE_EQ(o->availability_from[ew], 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(o->availability_from[ne], 1.0);
  // eu-west's users: a quarter of their requests need the origin, and 40% of those fail.
  const ServiceRouting* e = &t.services[static_cast<std::size_t>(edge)];
  EXPECT_DOUBLE_EQ(e->availability[0], 1 - 0.25 * (1 - 0.6));
  EXPECT_DOUBLE_EQ(e->availability[1], 1.0);
  EXPECT_DOUBLE_EQ(e->downstream_s[ew], 0.25 * 0.090);
  EXPECT_DOUBLE_EQ(t.latency_p50_s, 0.25 * 0.020);
  EXPECT_DOUBLE_EQ(t.latency_p95_s, 0.25 * 0.090);

  // With 10k in na-central (operators scale it by 1.25) everything fits:
  // full availability, eu-west's misses now crossing the Atlantic.
  state.services[static_cast<std::size_t>(origin)].capacity_scale = 1.25;
  t = route_traffic(w, state);
  o = &t.services[static_cast<std::size_t>(origin)];
  e = &t.services[static_cast<std::size_t>(edge)];
  EXPECT_DOUBLE_EQ(o->routing.served(clients + ew, nc), 5e3);
  EXPECT_EQ(e->availability, (std::vector<double>{1.0, 1.0}));
  EXPECT_DOUBLE_EQ(e->downstream_s[ew], 0.25 * 0.090);
}

// Three tiers, every request through all of them: the edge in eu-west and
// na-east, an API in eu-central and na-central, its database in na-central only.
constexpr const char* three_tiers = R"(
scenario: {name: three-tiers, start: 2025-06-02T12:00:00Z, duration: 1h}
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 1, na-east: 1}
        capacity: 100k rps
        depends_on: [{target: cloud.api}]
  - name: cloud
    services:
      - name: api
        instances: {eu-central: 1, na-central: 1}
        capacity: 100k rps
        depends_on: [{target: cloud.db}]
      - name: db
        instances: {na-central: 1}
        capacity: 100k rps
sites:
  - {name: shop.example, rps: 10k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions:
    - {region: eu-west, users: 50%}
    - {region: na-east, users: 50%}
)";

TEST(DependencyChain, AClientRegionSeesTheProductAndTheSumAlongTheChain) {
  const World w = build_with_latencies(three_tiers, "three-tiers.yaml");
  const int edge = service_of(w, "cdn.edge"), api = service_of(w, "cloud.api"), db = service_of(w, "cloud.db");
  WorldState state = WorldState::initial(w);
  set_instances(w, state, edge, "eu-west", [](InstanceState& i) { i.error_rate = 0.1; });
  set_instances(w, state, api, "eu-central", [](InstanceState& i) { i.error_rate = 0.2; });
  set_instances(w, state, db, "na-central", [](InstanceState& i) { i.error_rate = 0.5; });
  const RoutedTraffic t = route_traffic(w, state);
  const ServiceRouting& e = t.services[static_cast<std::size_t>(edge)];
  // eu-west: edge 0.9 there, x the api in eu-central 0.8, x the db 0.5;
  // na-east: edge 1, api in na-central 1, db 0.5.
  EXPECT_DOUBLE_EQ(e.availability[0], 0.9 * 0.8 * 0.5);
  EXPECT_DOUBLE_EQ(e.availability[1], 0.5);
  // eu-west -> eu-central 10 ms, -> na-central 100 ms; na-east -> na-central 20 ms.
  EXPECT_DOUBLE_EQ(e.downstream_s[region_of(w, "eu-west")], 0.010 + 0.100);
  EXPECT_DOUBLE_EQ(e.downstream_s[region_of(w, "na-east")], 0.020);
  // The db's calls: all 10k, every one from where the api served it.
  const ServiceRouting& d = t.services[static_cast<std::size_t>(db)];
  EXPECT_DOUBLE_EQ(d.calls_rps[region_of(w, "eu-central")], 5e3);
  EXPECT_DOUBLE_EQ(d.calls_rps[region_of(w, "na-central")], 5e3);
  EXPECT_DOUBLE_EQ(t.latency_p95_s, 0.110);
}

// The rules: an edge in eu-west whose requests need one of two origins
// (any_of) and send half of them to a log service that nobody waits for (soft).
constexpr const char* rules = R"(
scenario: {name: rules, start: 2025-06-02T12:00:00Z, duration: 1h}
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 1}
        capacity: 100k rps
        depends_on:
          - {kind: any_of, targets: [cloud.primary, cloud.backup]}
          - {kind: soft, target: cloud.logs, share: 50%}
  - name: cloud
    services:
      - {name: primary, instances: {eu-central: 1}, capacity: 100k rps}
      - {name: backup, instances: {na-central: 1}, capacity: 100k rps}
      - {name: logs, instances: {na-east: 1}, capacity: 100k rps}
sites:
  - {name: shop.example, rps: 10k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions: [{region: eu-west, users: 100%}]
)";

TEST(DependencyChain, AnyOfFailsOverWhatThePrimaryFailsAndSoftCallsTravelUnwaited) {
  const World w = build_with_latencies(rules, "rules.yaml");
  const int edge = service_of(w, "cdn.edge");
  const int primary = service_of(w, "cloud.primary"), backup = service_of(w, "cloud.backup");
  const int logs = service_of(w, "cloud.logs");
  const std::size_t ew = region_of(w, "eu-west");
  WorldState state = WorldState::initial(w);
  set_instances(w, state, primary, "eu-central", [](InstanceState& i) { i.error_rate = 0.4; });
  set_instances(w, state, backup, "na-central", [](InstanceState& i) { i.error_rate = 0.5; });
  const RoutedTraffic t = route_traffic(w, state);
  // Every request tries the primary; the 40% it fails go on to the backup.
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(primary)].calls_rps[ew], 10e3);
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(backup)].calls_rps[ew], 4e3);
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(logs)].calls_rps[ew], 5e3);
  const ServiceRouting& e = t.services[static_cast<std::size_t>(edge)];
  // Fails only when both fail: 0.4 x 0.5; the logs never fail a request.
  EXPECT_DOUBLE_EQ(e.availability[0], 1 - 0.4 * 0.5);
  // The primary's round trip for all, the backup's for the 40% that reach it; none for the logs.
  EXPECT_DOUBLE_EQ(e.downstream_s[ew], 0.010 + 0.4 * 0.090);
}

// An edge in eu-west reaching its API through a cached DNS record, which a
// change points from blue (eu-central, holding leases) to green (na-central).
constexpr const char* cached_record = R"(
scenario: {name: cached-record, start: 2025-06-02T12:00:00Z, duration: 1h}
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 1}
        capacity: 100k rps
        depends_on: [{kind: cached, record: cloud.api}]
  - name: cloud
    services:
      - {name: blue, instances: {eu-central: 1}, capacity: 100k rps, leases: {units: 1000, lease: 10m}}
      - {name: green, instances: {na-central: 1}, capacity: 100k rps}
    records:
      - {name: api, points_to: cloud.blue, ttl: 60s}
sites:
  - {name: shop.example, rps: 10k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions: [{region: eu-west, users: 100%}]
faults:
  - {id: to-green, kind: dns_record_change, at: +85s, record: cloud.api, change: wrong_target, new_target: cloud.green}
)";

TEST(DependencyChain, ACachedRecordSendsEachAnswersHoldersToItsServiceAndLostLeasesFailEverywhere) {
  const World w = build_with_latencies(cached_record, "cached-record.yaml");
  const int edge = service_of(w, "cdn.edge");
  const int blue = service_of(w, "cloud.blue"), green = service_of(w, "cloud.green");
  const std::size_t ew = region_of(w, "eu-west");
  WorldState state = WorldState::initial(w);
  // The record has pointed to green for a quarter of its TTL (the change's
  // effect on the record, as the engine applies it): a quarter of the
  // clients hold the new answer (docs/models/dns.md).
  state.now_s = 100;
  state.records[0].answer = green;
  state.records[0].history.push_back({85, green});
  // Blue holds half its leases: half its answers fail, from every region.
  state.services[static_cast<std::size_t>(blue)].queue.held = 500;
  const RoutedTraffic t = route_traffic(w, state);
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(blue)].calls_rps[ew], 0.75 * 10e3);
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(green)].calls_rps[ew], 0.25 * 10e3);
  EXPECT_DOUBLE_EQ(t.services[static_cast<std::size_t>(blue)].memory, 0.5);
  const ServiceRouting& e = t.services[static_cast<std::size_t>(edge)];
  EXPECT_DOUBLE_EQ(e.availability[0], 0.75 * 0.5 + 0.25 * 1.0);
  EXPECT_DOUBLE_EQ(e.downstream_s[ew], 0.75 * 0.010 + 0.25 * 0.090);
}

TEST(DependencyChain, APinnedVariantAnswersAsItsInstancesDo) {
  // The origin runs two variants, one instance each per region; the CDN
  // needs variant "b" alone. With b failing every request and a healthy,
  // each client region sees the misses fail: 1 - 25% (the pooled origin,
  // half healthy, would have said 1 - 25% x 50%).
  std::string text = cdn_and_origin;
  text.replace(text.find("        depends_on: [{target: cloud.origin, share: 25%}]"),
               std::string("        depends_on: [{target: cloud.origin, share: 25%}]").size(),
               "        depends_on: [{target: cloud.origin, share: 25%, variant: b}]");
  text.replace(text.find("        instances: {eu-central: 1, na-central: 1}\n        capacity: 8k rps"),
               std::string("        instances: {eu-central: 1, na-central: 1}\n        capacity: 8k rps").size(),
               "        instances: {eu-central: 2, na-central: 2}\n        capacity: 4k rps\n"
               "        variants: [{name: a, share: 50%}, {name: b, share: 50%}]");
  const World w = build_with_latencies(text, "pinned.yaml");
  WorldState state = WorldState::initial(w);
  const int origin = service_of(w, "cloud.origin");
  for (int i : w.services[static_cast<std::size_t>(origin)].instances)
    if (w.instances[static_cast<std::size_t>(i)].variant == 1) state.instances[static_cast<std::size_t>(i)].error_rate = 1.0;
  const RoutedTraffic t = route_traffic(w, state);
  const auto& edge = t.services[static_cast<std::size_t>(service_of(w, "cdn.edge"))];
  EXPECT_DOUBLE_EQ(edge.availability[0], 0.75);
  EXPECT_DOUBLE_EQ(edge.availability[1], 0.75);
}

}  // namespace
}  // namespace outagesim::world
