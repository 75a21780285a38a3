// AnycastRouting of client regions to a service's regions as the world sets it up
// (docs/models/routing.md): latencies from the platform, demand by region
// and time of day, the view from each client region, the global latency.
#include "sim/world/client_routing.hpp"

#include "models/diurnal_demand.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"

#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

int region_named(const World& w, const std::string& name) {
  for (std::size_t r = 0; r < w.platform.regions.size(); ++r)
    if (w.platform.regions[r].name == name) return static_cast<int>(r);
  throw std::runtime_error("no region " + name);
}

TEST(ClientRouting, DemandFollowsEachRegionsOwnTimeOfDayAndSumsToTheQueuesFirstAttempts) {
  const World w = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/diurnal-peak.yaml"));
  ASSERT_EQ(w.client_region_names, (std::vector<std::string>{"eu-west", "na-east"}));
  const std::size_t servers = w.platform.regions.size();
  const auto eu = static_cast<std::size_t>(region_named(w, "eu-west"));
  const auto na = static_cast<std::size_t>(region_named(w, "na-east"));
  EXPECT_DOUBLE_EQ(w.client_rtt_s[0 * servers + eu], 0.0);
  EXPECT_DOUBLE_EQ(w.client_rtt_s[1 * servers + na], 0.0);
  EXPECT_DOUBLE_EQ(w.client_rtt_s[0 * servers + na],
                   2 * backbone_latency_s(w.platform.regions[eu], w.platform.regions[na]));
  EXPECT_TRUE(w.services[0].user_facing);

  WorldState state = WorldState::initial(w);
  for (double t : {0.0, 5 * 3600.0, 19 * 3600.0, 23.5 * 3600.0}) {
    state.now_s = t;
    const ServiceRouting r = route_service(w, state, 0, 1.0);
    const double fresh = queue_inputs(w, state, 0, 1.0).fresh_rps;
    EXPECT_NEAR(r.demand_rps[0] + r.demand_rps[1], fresh, 1e-9 * fresh) << "at " << t;
    EXPECT_NEAR(r.demand_rps[0],
                60e3 * 0.6 * models::local_demand_factor(w.diurnal, w.client_regions[0], w.start_epoch_s + t), 1e-6);
    // 40k rps in eu-west and 30k in na-east.
    const double served = r.routing.served_total(0) + r.routing.served_total(1);
    EXPECT_NEAR(served, std::min(fresh, 70e3), 1e-6);
  }
}

constexpr const char* two_tiers = R"(
scenario: {name: two-tiers, start: 2025-06-02T12:00:00Z, duration: 1h}
network:
  latencies: [{from: eu-north, to: eu-central, latency: 5ms}]
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 2, eu-central: 2}
        capacity: 10k rps
        depends_on: [{target: origin.api}]
  - name: origin
    services:
      - name: api
        instances: {na-east: 2}
        capacity: 50k rps
sites:
  - {name: shop.example, rps: 30k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions:
    - {region: eu-west, users: 50%}
    - {region: eu-north, users: 50%}
)";

TEST(ClientRouting, AScenarioLatencyOverridesTheDistanceForClientsToo) {
  const World w = build(scenario::load_from_string(two_tiers, "two-tiers.yaml"));
  const std::size_t servers = w.platform.regions.size();
  const auto central = static_cast<std::size_t>(region_named(w, "eu-central"));
  EXPECT_DOUBLE_EQ(w.client_rtt_s[1 * servers + central], 0.010);
  // Without the override eu-west would be nearer to eu-north than eu-central is.
  EXPECT_GT(w.client_rtt_s[1 * servers + static_cast<std::size_t>(region_named(w, "eu-west"))], 0.010);
  // A client region without PoPs is in the platform for its client host
  // (docs/models/platform.md), but no instance serves from it.
  const int north = region_named(w, "eu-north");
  for (const auto& instance : w.instances) EXPECT_NE(instance.region, north);
  EXPECT_TRUE(w.services[0].user_facing);
  EXPECT_FALSE(w.services[1].user_facing);
}

TEST(ClientRouting, EachClientRegionSeesTheRegionsThatServeIt) {
  const World w = build(scenario::load_from_string(two_tiers, "two-tiers.yaml"));
  const auto west = region_named(w, "eu-west");
  const auto central = region_named(w, "eu-central");
  const std::size_t servers = w.platform.regions.size();
  WorldState state = WorldState::initial(w);
  // eu-central's PoPs fail half their requests; each side's 15k rps stays home.
  for (int i : w.services[0].instances)
    if (w.instances[static_cast<std::size_t>(i)].region == central) state.instances[static_cast<std::size_t>(i)].error_rate = 0.5;
  ServiceRouting r = route_service(w, state, 0, 1.0);
  EXPECT_DOUBLE_EQ(r.availability[0], 1.0);
  EXPECT_DOUBLE_EQ(r.availability[1], 0.5);
  // What the edge depends on multiplies into every region's view.
  EXPECT_DOUBLE_EQ(route_service(w, state, 0, 0.8).availability[0], 0.8);

  // One eu-west PoP down: its 10k rps take 10k of eu-west's 15k; the rest
  // spill to eu-central, which has 20k - 15k = 5k left.
  for (int i : w.services[0].instances)
    if (w.instances[static_cast<std::size_t>(i)].region == west) {
      state.instances[static_cast<std::size_t>(i)].up = false;
      break;
    }
  r = route_service(w, state, 0, 1.0);
  EXPECT_DOUBLE_EQ(r.routing.served(0, static_cast<std::size_t>(west)), 10e3);
  EXPECT_DOUBLE_EQ(r.routing.served(0, static_cast<std::size_t>(central)), 5e3);
  EXPECT_DOUBLE_EQ(r.availability[0], (10e3 + 5e3 * 0.5) / 15e3);

  // Latency injected in eu-central adds to what its requests take; p95 is
  // over the user-facing edge alone (the origin's requests are counted in
  // the edge's, once: every request served in eu-central also takes the
  // round trip from there to the origin in na-east).
  for (int i : w.services[0].instances)
    if (w.instances[static_cast<std::size_t>(i)].region == central)
      state.instances[static_cast<std::size_t>(i)].added_latency_s = 0.1;
  const RoutedTraffic all = route_traffic(w, state);
  // 10k rps from eu-west served at home (then to the origin), 15k from
  // eu-north at 10 ms + 100 ms (then to the origin from eu-central, farther
  // than from eu-west), 5k from eu-west at eu-central, a little farther: the
  // median request is eu-north's, the 95th percentile eu-west's spill-over.
  const double spill = w.client_rtt_s[0 * servers + static_cast<std::size_t>(central)];
  ASSERT_GT(spill, 0.010);
  const auto na = static_cast<std::size_t>(region_named(w, "na-east"));
  const double to_origin = 2 * backbone_latency_s(w.platform.regions[central], w.platform.regions[na]);
  ASSERT_GT(to_origin, 2 * backbone_latency_s(w.platform.regions[static_cast<std::size_t>(west)], w.platform.regions[na]));
  EXPECT_NEAR(all.latency_p50_s, 0.010 + 0.1 + to_origin, 1e-12);
  EXPECT_NEAR(all.latency_p95_s, spill + 0.1 + to_origin, 1e-12);
}

}  // namespace
}  // namespace outagesim::world
