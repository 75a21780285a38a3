// The collector is an observer: these tests drive it with hand-made events
// and states, no engine, and check the metrics that must follow.
#include "sim/metrics/collector.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

constexpr const char* four_pops = R"(scenario: {name: four, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services:
      - name: proxy
        instances: {eu-west: 4}
        capacity: 1k rps
        variants: [{name: old, share: 50%}, {name: new, share: 50%}]
    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB}]
sites:
  - {name: hard.example, rps: 300 rps, depends_on: [{target: cdn.proxy}]}
  - {name: soft.example, rps: 100 rps, depends_on: [{target: cdn.proxy, kind: soft}]}
faults:
  - {id: push, kind: bad_config_push, channel: cdn.rules, at: +10s, effects: [{variant: new, error_rate: 100%}]}
operators:
  - {name: sre, actions: [{at: +50s, do: revert, channel: cdn.rules}]}
output: {resolution: 10s, site_down_below: 90%}
)";

class CollectorTest : public ::testing::Test {
 protected:
  void apply(double t, int k, int version) {
    ASSERT_TRUE(state_.apply(world_, 0, k, version));
    const int instance = world_.services[0].instances[static_cast<std::size_t>(k)];
    collector_.on_event({t, world::ConfigApplied{0, k, instance, version,
                                                 state_.instances[static_cast<std::size_t>(instance)].error_rate},
                         "fault:push"},
                        state_);
  }

  world::World world_ = world::build(scenario::load_from_string(four_pops, "four.yaml"));
  world::WorldState state_ = world::WorldState::initial(world_);
  Collector collector_{world_, SeriesRetention::every_series()};
};

TEST_F(CollectorTest, HeadlineMetricsFollowFromTheSampledStates) {
  collector_.on_sample(0, state_);
  collector_.on_sample(10, state_);
  int bad = state_.publish(0, 0, 1e6, world_.faults[0].error_rate_by_variant, "fault:push");
  collector_.on_event({10, world::ConfigPublished{0, bad}, "fault:push"}, state_);
  collector_.on_event({10, world::FaultInjected{0, bad}, "fault:push"}, state_);
  for (int k = 0; k < 4; ++k) apply(10.5 + 0.1 * k, k, bad);  // two of the four are "new"
  for (double t : {20.0, 30.0, 40.0, 50.0}) collector_.on_sample(t, state_);
  int good = state_.publish(0, -1, 1e6, {}, "operator:sre");
  collector_.on_event({50, world::OperatorActed{0, good}, "operator:sre"}, state_);
  for (int k = 0; k < 4; ++k) apply(51 + k, k, good);
  for (double t : {60.0, 70.0, 80.0, 90.0, 100.0}) collector_.on_sample(t, state_);
  RunResult r = collector_.finish();

  // Half the capacity fails: the hard site serves 50%, the soft one 100%.
  const double expected_min = (300 * 0.5 + 100) / 400.0;
  EXPECT_DOUBLE_EQ(r.availability_min, expected_min);
  EXPECT_EQ(r.sites_affected, 1);
  ASSERT_TRUE(r.impact_start);
  EXPECT_DOUBLE_EQ(*r.impact_start, 20);
  ASSERT_TRUE(r.impact_end);
  EXPECT_DOUBLE_EQ(*r.impact_end, 60);
  // Four ticks of 10 s (20, 30, 40, 50) at 150 failed rps.
  EXPECT_DOUBLE_EQ(r.failed_requests, 4 * 10 * 150.0);
  EXPECT_DOUBLE_EQ(r.availability_mean, 1 - r.failed_requests / (400.0 * 100));

  ASSERT_EQ(r.channels.size(), 1u);
  ASSERT_TRUE(r.channels[0].reach_t50);
  // Reach counts consumers running the bad version, whether or not they fail on it:
  // the second of four applies it at 10.6 s, the fourth at 10.8 s.
  EXPECT_NEAR(*r.channels[0].reach_t50, 0.6, 1e-9);
  ASSERT_TRUE(r.channels[0].reach_t95);
  EXPECT_NEAR(*r.channels[0].reach_t95, 0.8, 1e-9);
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_DOUBLE_EQ(*r.faults[0].injected_at, 10);
  EXPECT_DOUBLE_EQ(*r.faults[0].mitigated_at, 50);
  EXPECT_DOUBLE_EQ(*r.faults[0].recovered_at, 54);  // the last consumer left the bad version at 54 s
  EXPECT_FALSE(r.faults[0].detected_at);

  const Series* reach = r.find("channel", "cdn.rules", "config_reach");
  ASSERT_NE(reach, nullptr);
  EXPECT_DOUBLE_EQ(reach->values[1], 0.0);
  EXPECT_DOUBLE_EQ(reach->values[2], 1.0);
  EXPECT_DOUBLE_EQ(reach->values.back(), 0.0);
  const Series* down = r.find("global", "", "sites_down");
  EXPECT_DOUBLE_EQ(down->values[3], 1);
  EXPECT_DOUBLE_EQ(down->values[0], 0);
}

TEST_F(CollectorTest, NoImpactMeansNullImpactTimes) {
  for (double t = 0; t <= 100; t += 10) collector_.on_sample(t, state_);
  RunResult r = collector_.finish();
  EXPECT_DOUBLE_EQ(r.availability_min, 1.0);
  EXPECT_FALSE(r.impact_start);
  EXPECT_FALSE(r.impact_end);
  EXPECT_EQ(r.sites_affected, 0);
  EXPECT_DOUBLE_EQ(r.failed_requests, 0);
}

constexpr const char* two_regions = R"(scenario: {name: two, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services:
      - name: edge
        instances: {eu-west: 2, na-east: 2}
        capacity: 1k rps
sites:
  - {name: shop.example, rps: 3k rps, depends_on: [{target: cdn.edge}]}
traffic:
  client_regions: [{region: eu-west, users: 50%}, {region: na-east, users: 50%}]
output: {resolution: 10s}
)";

TEST(CollectorRouting, ClientRegionsGetTheirViewAndLatencyOnlyWhenDeclared) {
  const world::World plain = world::build(scenario::load_from_string(four_pops, "four.yaml"));
  Collector without(plain, SeriesRetention::every_series());
  without.on_sample(0, world::WorldState::initial(plain));
  const RunResult r0 = without.finish();
  EXPECT_EQ(r0.find("global", "", "latency_p50_s"), nullptr);
  for (const auto& s : r0.series) EXPECT_NE(s.metric, "client_availability");

  const world::World w = world::build(scenario::load_from_string(two_regions, "two.yaml"));
  world::WorldState state = world::WorldState::initial(w);
  Collector collector(w, SeriesRetention::every_series());
  collector.on_sample(0, state);
  // eu-west's PoPs down: na-east's 2k rps serve its own 1.5k, then 0.5k of eu-west's 1.5k.
  for (int i : w.services[0].instances)
    if (w.platform.regions[static_cast<std::size_t>(w.instances[static_cast<std::size_t>(i)].region)].name == "eu-west")
      state.instances[static_cast<std::size_t>(i)].up = false;
  collector.on_sample(10, state);
  const RunResult r = collector.finish();
  const Series* west = r.find("service", "cdn.edge/eu-west", "client_availability");
  const Series* east = r.find("service", "cdn.edge/na-east", "client_availability");
  const Series* p50 = r.find("global", "", "latency_p50_s");
  const Series* p95 = r.find("global", "", "latency_p95_s");
  ASSERT_NE(west, nullptr);
  ASSERT_NE(east, nullptr);
  ASSERT_NE(p50, nullptr);
  ASSERT_NE(p95, nullptr);
  ASSERT_EQ(west->values.size(), 2u);
  EXPECT_DOUBLE_EQ(west->values[0], 1.0);
  EXPECT_NEAR(west->values[1], 0.5 / 1.5, 1e-12);
  EXPECT_EQ(east->values, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(p50->values, (std::vector<double>{0.0, 0.0}));
  const auto& regions = w.platform.regions;
  EXPECT_DOUBLE_EQ(p95->values[0], 0.0);
  EXPECT_DOUBLE_EQ(p95->values[1], 2 * world::backbone_latency_s(regions[0], regions[1]));
  // Each region's mean: eu-west's served requests all cross to na-east.
  for (const auto& s : r0.series) EXPECT_NE(s.metric, "client_latency_s");
  const Series* west_latency = r.find("service", "cdn.edge/eu-west", "client_latency_s");
  const Series* east_latency = r.find("service", "cdn.edge/na-east", "client_latency_s");
  ASSERT_NE(west_latency, nullptr);
  ASSERT_NE(east_latency, nullptr);
  EXPECT_DOUBLE_EQ(west_latency->values[0], 0.0);
  EXPECT_DOUBLE_EQ(west_latency->values[1], 2 * world::backbone_latency_s(regions[0], regions[1]));
  EXPECT_EQ(east_latency->values, (std::vector<double>{0.0, 0.0}));
}

// Mitigation is judged per fault: only an action that reduces the fault's
// own effect counts (docs/outputs.md, "A fault's lifecycle").
constexpr const char* two_services = R"(scenario: {name: two, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services:
      - {name: proxy, instances: {eu-west: 4}, capacity: 1k rps}
      - {name: other, instances: {eu-west: 2}, capacity: 1k rps}
    channels: [{name: rules, consumers: other, origin: eu-west, size: 1MB}]
sites:
  - {name: shop.example, rps: 2k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: wedged, kind: crash, at: +10s, target: {service: cdn.proxy, count: 1}}
operators:
  - name: sre
    actions:
      - {at: +20s, do: restart, target: {service: cdn.other}}
      - {at: +30s, do: revert, channel: cdn.rules}
      - {at: +40s, do: throttle, service: cdn.proxy, admit: 100%}
      - {at: +50s, do: restart, target: {service: cdn.proxy}}
)";

TEST(Mitigation, OnlyAnActionReducingTheFaultsOwnEffectMitigatesIt) {
  const world::World world = world::build(scenario::load_from_string(two_services, "two.yaml"));
  world::WorldState state = world::WorldState::initial(world);
  Collector collector{world, SeriesRetention::every_series()};
  const int crashed = world.faults[0].instances.at(0);
  collector.on_event({10, world::FaultInjected{0, -1}, "fault:wedged"}, state);
  state.instances[static_cast<std::size_t>(crashed)].impairments.push_back({.fault = world::FaultIndex{0}, .down = true});
  // A restart elsewhere, a revert of a channel the crash has nothing to do
  // with, a throttle that admits everything: none relieves the crash.
  for (int action : {0, 1, 2}) {
    collector.on_event({10.0 * (action + 2), world::OperatorActed{action, -1}, "operator:sre"}, state);
  }
  collector.on_event({50, world::OperatorActed{3, -1}, "operator:sre"}, state);
  // The restart ended it; what comes after a recovery mitigates nothing.
  state.instances[static_cast<std::size_t>(crashed)].impairments.clear();
  collector.on_event({50, world::FaultEnded{0, -1}, "operator:sre"}, state);
  RunResult r = collector.finish();
  ASSERT_TRUE(r.faults[0].mitigated_at);
  EXPECT_DOUBLE_EQ(*r.faults[0].mitigated_at, 50);
  ASSERT_TRUE(r.faults[0].recovered_at);
  EXPECT_DOUBLE_EQ(*r.faults[0].recovered_at, 50);
}

TEST(Mitigation, NothingAfterRecoveryMitigates) {
  const world::World world = world::build(scenario::load_from_string(two_services, "two.yaml"));
  world::WorldState state = world::WorldState::initial(world);
  Collector collector{world, SeriesRetention::every_series()};
  const int crashed = world.faults[0].instances.at(0);
  collector.on_event({10, world::FaultInjected{0, -1}, "fault:wedged"}, state);
  collector.on_event({15, world::FaultEnded{0, -1}, "fault:wedged"}, state);
  state.instances[static_cast<std::size_t>(crashed)].impairments.push_back({.fault = world::FaultIndex{0}, .down = true});  // as if still held
  collector.on_event({50, world::OperatorActed{3, -1}, "operator:sre"}, state);
  EXPECT_FALSE(collector.finish().faults[0].mitigated_at);
}

}  // namespace
}  // namespace outagesim::metrics
