// Attribution of site outages to faults: the collector is driven with
// hand-made events and states (no engine), and the intervals, shares and
// blast radius must follow from the documented rule.
#include "sim/metrics/collector.hpp"
#include "sim/metrics/failure_causes.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <limits>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

// Two channels feed the same proxies: rules-push fails the "old" half
// outright, bots-push fails every proxy half the time.
constexpr const char* two_channels = R"(scenario: {name: two, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services:
      - name: proxy
        instances: {eu-west: 4}
        capacity: 1k rps
        variants: [{name: old, share: 50%}, {name: new, share: 50%}]
    channels:
      - {name: rules, consumers: proxy, origin: eu-west, size: 1MB}
      - {name: bots, consumers: proxy, origin: eu-west, size: 1MB}
sites:
  - {name: hard.example, rps: 300 rps, depends_on: [{target: cdn.proxy}]}
  - {name: soft.example, rps: 100 rps, depends_on: [{target: cdn.proxy, kind: soft}]}
faults:
  - {id: rules-push, kind: bad_config_push, channel: cdn.rules, at: +10s, effects: [{variant: old, error_rate: 100%}]}
  - {id: bots-push, kind: bad_config_push, channel: cdn.bots, at: +30s,
     effects: [{variant: old, error_rate: 50%}, {variant: new, error_rate: 50%}]}
output: {resolution: 10s, site_down_below: 90%}
)";

class AttributionTest : public ::testing::Test {
 protected:
  /// Publishes `fault`'s bad version (or a good one for fault -1) on `channel` and applies it everywhere at `t`.
  void push(double t, int channel, int fault) {
    const auto f = static_cast<std::size_t>(fault);
    const std::string cause = fault >= 0 ? "fault:" + world_.faults[f].id : "operator:sre";
    const int version = state_.publish(channel, fault, 1e6, fault >= 0 ? world_.faults[f].error_rate_by_variant
                                                                     : std::vector<double>{},
                                       cause);
    if (fault >= 0) collector_.on_event({t, world::FaultInjected{fault, version}, cause}, state_);
    for (int k = 0; k < 4; ++k) {
      ASSERT_TRUE(state_.apply(world_, channel, k, version));
      const int instance = world_.services[0].instances[static_cast<std::size_t>(k)];
      collector_.on_event({t, world::ConfigApplied{channel, k, instance, version,
                                                   state_.instances[static_cast<std::size_t>(instance)].error_rate},
                           cause},
                          state_);
    }
  }
  void sample(std::initializer_list<double> times) {
    for (double t : times) collector_.on_sample(t, state_);
  }

  world::World world_ = world::build(scenario::load_from_string(two_channels, "two.yaml"));
  world::WorldState state_ = world::WorldState::initial(world_);
  Collector collector_{world_, SeriesRetention::every_series()};
};

std::string attribution_csv(const RunResult& r) {
  std::ostringstream out;
  write_attribution_csv(out, r);
  return out.str();
}

TEST_F(AttributionTest, OneFaultTakesTheWholeInterval) {
  sample({0, 10});
  push(10.5, 0, 0);
  sample({20, 30, 40, 50});
  push(55, 0, -1);
  sample({60, 70, 80, 90, 100});
  RunResult r = collector_.finish();

  // The old half fails: hard.example serves 50% from 20 s until the sample at 60 s.
  ASSERT_EQ(r.outages.size(), 1u);
  const auto& o = r.outages[0];
  EXPECT_EQ(o.site, "hard.example");
  EXPECT_DOUBLE_EQ(o.start_s, 20);
  ASSERT_TRUE(o.end_s);
  EXPECT_DOUBLE_EQ(*o.end_s, 60);
  EXPECT_DOUBLE_EQ(o.failed_requests, 150.0 * 40);
  ASSERT_EQ(o.shares.size(), 1u);
  EXPECT_EQ(o.shares[0].fault, "rules-push");
  EXPECT_DOUBLE_EQ(o.shares[0].share, 1.0);
  EXPECT_EQ(attribution_csv(r), "site,start,end,fault,share\nhard.example,20,60,rules-push,1\n");

  const auto& fault = r.faults[0];
  EXPECT_EQ(fault.sites_affected, 1);
  EXPECT_DOUBLE_EQ(fault.traffic_share_affected, 150.0 / 400);
  EXPECT_DOUBLE_EQ(fault.failed_requests, r.failed_requests);
  EXPECT_DOUBLE_EQ(fault.request_minutes_lost, 300.0 * 40 / 60);  // site rps x minutes down
  EXPECT_EQ(r.faults[1].sites_affected, 0);
  EXPECT_DOUBLE_EQ(r.faults[1].failed_requests, 0);
  EXPECT_DOUBLE_EQ(r.failed_requests_unattributed, 0);

  // Cumulative failed requests: each sample counts up to the next one.
  const Series* cumulative = r.find("global", "", "failed_requests_cumulative");
  ASSERT_NE(cumulative, nullptr);
  EXPECT_DOUBLE_EQ(cumulative->values[2], 0);        // at 20 s: nothing failed before
  EXPECT_DOUBLE_EQ(cumulative->values[3], 1500);     // at 30 s: 10 s at 150 rps
  EXPECT_DOUBLE_EQ(cumulative->values.back(), r.failed_requests);
}

TEST_F(AttributionTest, OverlappingFaultsShareInProportionToTheFailingCapacity) {
  sample({0, 10});
  push(10.5, 0, 0);
  sample({20, 30});
  push(30.5, 1, 1);
  sample({40, 50});
  push(55, 0, -1);
  push(55, 1, -1);
  sample({60, 70, 80, 90, 100});
  RunResult r = collector_.finish();

  // 20 s and 30 s: rules-push alone fails the old half, 150 rps.
  // 40 s and 50 s: an old proxy fails for both (100% and 50%: parts 2/3 and
  // 1/3 of its capacity), a new one at 50% for bots-push: of the capacity,
  // 1/3 fails because of rules-push and 5/12 because of bots-push, so of
  // hard.example's 300 rps, 100 and 125.
  ASSERT_EQ(r.outages.size(), 1u);
  const auto& o = r.outages[0];
  const double rules = 150.0 * 20 + 100.0 * 20, bots = 125.0 * 20;
  EXPECT_DOUBLE_EQ(o.failed_requests, rules + bots);
  ASSERT_EQ(o.shares.size(), 2u);
  EXPECT_EQ(o.shares[0].fault, "rules-push");
  EXPECT_NEAR(o.shares[0].share, rules / (rules + bots), 1e-12);
  EXPECT_EQ(o.shares[1].fault, "bots-push");
  EXPECT_NEAR(o.shares[1].share, bots / (rules + bots), 1e-12);
  EXPECT_NEAR(o.shares[0].share + o.shares[1].share, 1.0, 1e-12);

  EXPECT_NEAR(r.faults[0].failed_requests, rules, 1e-9);
  EXPECT_NEAR(r.faults[1].failed_requests, bots, 1e-9);
  EXPECT_NEAR(r.faults[0].failed_requests + r.faults[1].failed_requests + r.failed_requests_unattributed,
              r.failed_requests, 1e-9);
  EXPECT_DOUBLE_EQ(r.faults[0].traffic_share_affected, 150.0 / 400);
  EXPECT_NEAR(r.faults[1].traffic_share_affected, 125.0 / 400, 1e-12);
  EXPECT_EQ(r.faults[0].sites_affected, 1);
  EXPECT_EQ(r.faults[1].sites_affected, 1);
  EXPECT_NEAR(r.faults[0].request_minutes_lost + r.faults[1].request_minutes_lost, 300.0 * 40 / 60, 1e-9);
}

TEST_F(AttributionTest, AnIntervalOpenAtTheEndHasNoEnd) {
  sample({0, 10});
  push(10.5, 0, 0);
  sample({20, 30, 40, 50, 60, 70, 80, 90, 100});
  RunResult r = collector_.finish();

  ASSERT_EQ(r.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(r.outages[0].start_s, 20);
  EXPECT_FALSE(r.outages[0].end_s);
  EXPECT_DOUBLE_EQ(r.outages[0].failed_requests, 150.0 * 80);  // the sample at 100 s is the end of the run
  EXPECT_EQ(attribution_csv(r), "site,start,end,fault,share\nhard.example,20,,rules-push,1\n");
  EXPECT_DOUBLE_EQ(r.faults[0].request_minutes_lost, 300.0 * 80 / 60);
}

TEST_F(AttributionTest, AFailureWithNoRecordedCauseIsAttributedToNoFault) {
  sample({0, 10});
  for (int i : world_.services[0].instances) state_.instances[static_cast<std::size_t>(i)].error_rate = 0.5;
  sample({20, 30, 40, 50, 60, 70, 80, 90, 100});
  RunResult r = collector_.finish();
  ASSERT_EQ(r.outages.size(), 1u);
  ASSERT_EQ(r.outages[0].shares.size(), 1u);
  EXPECT_EQ(r.outages[0].shares[0].fault, "");
  EXPECT_DOUBLE_EQ(r.failed_requests_unattributed, r.failed_requests);
  EXPECT_EQ(r.faults[0].sites_affected, 0);
}

TEST_F(AttributionTest, InstanceImpairmentsNameTheirFaults) {
  FailureCauses causes(world_);
  const auto& proxies = world_.services[0].instances;
  // Every proxy down: two for rules-push, two for both faults.
  for (std::size_t k = 0; k < proxies.size(); ++k) {
    auto& instance = state_.instances[static_cast<std::size_t>(proxies[k])];
    instance.up = false;
    instance.impairments.push_back({.fault = world::FaultIndex{0}, .down = true});
    if (k >= 2) instance.impairments.push_back({.fault = world::FaultIndex{1}, .down = true});
  }
  auto parts = causes.evaluate(state_)[0];
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].fault, 0);
  EXPECT_DOUBLE_EQ(parts[0].share, 0.75);
  EXPECT_EQ(parts[1].fault, 1);
  EXPECT_DOUBLE_EQ(parts[1].share, 0.25);

  // Without impairments, the instance's cause_fault.
  for (int i : proxies) {
    auto& instance = state_.instances[static_cast<std::size_t>(i)];
    instance.impairments.clear();
    instance.cause_fault = 1;
  }
  parts = causes.evaluate(state_)[0];
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].fault, 1);
  EXPECT_DOUBLE_EQ(parts[0].share, 1.0);
}

// A record that sites name themselves and a service resolves too: users
// resolve it through their client regions' resolvers, the service where it
// runs, as one population (docs/models/dns.md).
constexpr const char* users_and_service = R"(scenario: {name: views, start: 2025-01-01T00:00:00Z, duration: 400s}
providers:
  - name: ns
    kind: dns
    services: [{name: auth, instances: {eu-west: 1, na-east: 1}, capacity: 1M rps}]
    records: [{name: api, points_to: cloud.api, ttl: 1m}]
  - name: cloud
    kind: cloud
    services:
      - {name: api, instances: {eu-west: 2}, capacity: 1M rps}
      - {name: front, instances: {eu-west: 2}, capacity: 1M rps, depends_on: [{kind: cached, record: ns.api}]}
sites:
  - {name: direct.example, rps: 100 rps, depends_on: [{kind: cached, record: ns.api}]}
  - {name: via-front.example, rps: 100 rps, depends_on: [{target: cloud.front}]}
traffic:
  client_regions:
    - {region: eu-west, users: 50%}
    - {region: na-east, users: 50%}
faults:
  - {id: na-cut-off, kind: partition, regions: [na-east], at: +0s}
  - {id: api-emptied, kind: dns_record_change, record: ns.api, change: empty, at: +100s}
output: {resolution: 10s}
)";

TEST(AttributionViews, AServiceResolvingARecordIsChargedAsItResolvesIt) {
  const world::World world = world::build(scenario::load_from_string(users_and_service, "views.yaml"));
  world::WorldState state = world::WorldState::initial(world);
  Collector collector{world, SeriesRetention::every_series()};
  // na-east's users are cut off from the authority from the start; the
  // record is emptied at 100 s, and every cache holds its answer by 160 s.
  const int na_east = 1, authority = 0;
  ASSERT_EQ(world.client_region_names[static_cast<std::size_t>(na_east)], "na-east");
  state.unreachable_from[na_east][authority].push_back({0, std::numeric_limits<double>::infinity(), 0});
  auto& record = state.records[0];
  record.answer = -1;
  record.cause_fault = 1;
  record.history.push_back({100, -1});
  for (double t : {200.0, 210.0, 220.0}) {
    state.now_s = t;
    collector.on_sample(t, state);
  }
  const RunResult r = collector.finish();
  std::map<std::string, std::map<std::string, double>> shares;
  for (const auto& o : r.outages)
    for (const auto& part : o.shares) shares[o.site][part.fault] = part.share;
  // The site's users: eu-west's resolvers hold the empty answer, na-east's
  // hold nothing at all, cut off: half each.
  EXPECT_DOUBLE_EQ(shares["direct.example"]["api-emptied"], 0.5);
  EXPECT_DOUBLE_EQ(shares["direct.example"]["na-cut-off"], 0.5);
  // The front service resolves where it runs, reaching the authority: only
  // the emptied record fails it.
  EXPECT_DOUBLE_EQ(shares["via-front.example"]["api-emptied"], 1.0);
  EXPECT_EQ(shares["via-front.example"].count("na-cut-off"), 0u);
}

// A service of 4k rps offered 5k rps from the start, with one surge.
constexpr const char* overloaded_with_a_surge = R"(scenario: {name: surge, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 4}, capacity: 1k rps}]
sites:
  - {name: shop.example, rps: 5k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: surge, kind: load_surge, at: +10s, target: {service: cdn.proxy}, load_factor: ${factor}}
output: {resolution: 10s}
)";

/// The failing share of the proxy owed to each fault (-1: no recorded cause)
/// while the surge of `factor` is active.
std::map<int, double> surge_causes(const std::string& factor) {
  std::string yaml = overloaded_with_a_surge;
  yaml.replace(yaml.find("${factor}"), 9, factor);
  const world::World world = world::build(scenario::load_from_string(yaml, "surge.yaml"));
  world::WorldState state = world::WorldState::initial(world);
  auto& load = state.services[0];
  load.surges.push_back(0);
  load.load_factor = world::surge_load_factor(world.faults[0]);
  load.cause_fault = 0;
  FailureCauses causes(world);
  std::map<int, double> out;
  for (const auto& part : causes.evaluate(state)[0]) out[part.fault] = part.share;
  return out;
}

TEST(AttributionOfLoad, ASurgeIsChargedOnlyTheLoadItAdds) {
  // Factor 1 adds nothing: the 1k rps beyond capacity was there before it.
  auto parts = surge_causes("1");
  EXPECT_EQ(parts.count(0), 0u);
  EXPECT_NEAR(parts[-1], 1.0 - 4.0 / 5.0, 1e-12);
  // Factor 2 adds 5k of the 6k beyond capacity: 5/6 of the failures.
  parts = surge_causes("2");
  const double failing = 1.0 - 4.0 / 10.0;
  EXPECT_NEAR(parts[0], failing * 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(parts[-1], failing * 1.0 / 6.0, 1e-12);
}

TEST_F(AttributionTest, WrittenToTheCsvTheSummaryAndTheReport) {
  sample({0, 10});
  push(10.5, 0, 0);
  sample({20, 30});
  push(30.5, 1, 1);
  sample({40, 50, 60, 70, 80, 90, 100});
  RunResult r = collector_.finish();
  r.outages[0].site = "a,b";  // quoted as RFC 4180 says

  std::istringstream csv(attribution_csv(r));
  std::string header, first, second, none;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, second);
  EXPECT_EQ(header, "site,start,end,fault,share");
  EXPECT_EQ(first.rfind("\"a,b\",20,,rules-push,", 0), 0u) << first;
  EXPECT_EQ(second.rfind("\"a,b\",20,,bots-push,", 0), 0u) << second;
  EXPECT_FALSE(std::getline(csv, none));

  const Provenance provenance{"0.1.0", "3.32.0", "two.yaml", "0123456789abcdef", {}, {}, {}};
  std::ostringstream summary;
  write_summary_json(summary, r, provenance);
  const auto m = nlohmann::json::parse(summary.str())["metrics"];
  EXPECT_EQ(m["faults"]["bots-push"]["sites_affected"], 1);
  EXPECT_EQ(m["faults"]["rules-push"]["failed_requests"], r.faults[0].failed_requests);
  EXPECT_EQ(m["faults"]["rules-push"]["traffic_share_affected"], 0.375);
  EXPECT_EQ(m["faults"]["rules-push"]["request_minutes_lost"], r.faults[0].request_minutes_lost);
  EXPECT_EQ(m["failed_requests_unattributed"], 0.0);

  const std::string html = render_report_html(r, provenance);
  EXPECT_THAT(html, ::testing::HasSubstr("<h2>Attribution</h2>"));
  EXPECT_THAT(html, ::testing::HasSubstr("data-metric=\"faults/rules-push/sites_affected\">1<"));
  EXPECT_THAT(html, ::testing::HasSubstr("data-metric=\"faults/rules-push/traffic_share_affected\">37.5%<"));
  EXPECT_THAT(html, ::testing::HasSubstr("1 outage interval at 1 site."));
}

}  // namespace
}  // namespace outagesim::metrics


namespace outagesim::metrics {
namespace {

// Above world::sum_by_class_above sites, totals and attribution go class by
// class (docs/models/evaluation.md): the same outages, shares and blast
// radius as site by site, the requests equal up to rounding.
constexpr const char* population_with_faults = R"(scenario: {name: classes, start: 2025-01-01T00:00:00Z, duration: 1h}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 4, na-east: 4}, capacity: 20k rps}]
  - name: cloud
    kind: cloud
    services: [{name: api, instances: {eu-west: 2}, capacity: 1M rps}]
traffic:
  diurnal: {peak_to_trough: 2}
  population:
    sites: 3000
    total_rps: 100k rps
    mix:
      - {name: cdn-only, share: 50%, depends_on: [{target: cdn.proxy}]}
      - {name: cdn-and-api, share: 30%, depends_on: [{target: cdn.proxy}, {target: cloud.api, share: 50%}]}
      - {name: elsewhere, share: 20%, depends_on: []}
faults:
  - {id: proxies-down, kind: crash, target: {service: cdn.proxy, percent: 75%}, at: +10m}
  - {id: api-down, kind: crash, target: {service: cloud.api}, at: +20m}
output: {resolution: 1m}
)";

TEST(AttributionByClass, GivesTheSiteBySiteOutagesAndFigures) {
  const outagesim::world::World by_site = outagesim::world::build(scenario::load_from_string(population_with_faults, "classes.yaml"));
  ASSERT_FALSE(by_site.sums_by_class);
  outagesim::world::World by_class = by_site;
  by_class.sums_by_class = true;

  auto run = [](const outagesim::world::World& w) {
    Collector collector(w, SeriesRetention::every_series());
    outagesim::world::WorldState state = outagesim::world::WorldState::initial(w);
    const auto& proxies = w.services[0].instances;
    const auto& api = w.services[1].instances;
    for (int minute = 0; minute < 60; ++minute) {
      // Proxies 0-5 down from +10m to +40m, the API from +20m to +30m.
      for (std::size_t k = 0; k < 6; ++k) {
        auto& instance = state.instances[static_cast<std::size_t>(proxies[k])];
        instance.up = minute < 10 || minute >= 40;
        instance.cause_fault = instance.up ? -1 : 0;
      }
      for (int i : api) {
        auto& instance = state.instances[static_cast<std::size_t>(i)];
        instance.up = minute < 20 || minute >= 30;
        instance.cause_fault = instance.up ? -1 : 1;
      }
      state.now_s = minute * 60.0;
      collector.on_sample(state.now_s, state);
    }
    return collector.finish();
  };
  const RunResult a = run(by_site);
  const RunResult b = run(by_class);

  ASSERT_EQ(a.outages.size(), b.outages.size());
  ASSERT_GT(a.outages.size(), 1000u);
  for (std::size_t k = 0; k < a.outages.size(); ++k) {
    EXPECT_EQ(a.outages[k].site, b.outages[k].site);
    EXPECT_EQ(a.outages[k].start_s, b.outages[k].start_s);
    EXPECT_EQ(a.outages[k].end_s, b.outages[k].end_s);
    EXPECT_NEAR(a.outages[k].failed_requests, b.outages[k].failed_requests, 1e-9 * a.outages[k].failed_requests);
    ASSERT_EQ(a.outages[k].shares.size(), b.outages[k].shares.size());
    for (std::size_t f = 0; f < a.outages[k].shares.size(); ++f) {
      EXPECT_EQ(a.outages[k].shares[f].fault, b.outages[k].shares[f].fault);
      EXPECT_NEAR(a.outages[k].shares[f].share, b.outages[k].shares[f].share, 1e-12);
    }
  }
  EXPECT_NEAR(a.failed_requests, b.failed_requests, 1e-9 * a.failed_requests);
  EXPECT_GT(a.failed_requests, 0);
  EXPECT_NEAR(a.availability_mean, b.availability_mean, 1e-12);
  EXPECT_EQ(a.sites_affected, b.sites_affected);
  ASSERT_EQ(a.faults.size(), 2u);
  for (std::size_t f = 0; f < 2; ++f) {
    EXPECT_EQ(a.faults[f].sites_affected, b.faults[f].sites_affected);
    EXPECT_GT(a.faults[f].sites_affected, 0);
    EXPECT_NEAR(a.faults[f].failed_requests, b.faults[f].failed_requests, 1e-9 * a.faults[f].failed_requests);
    EXPECT_NEAR(a.faults[f].traffic_share_affected, b.faults[f].traffic_share_affected, 1e-12);
    EXPECT_NEAR(a.faults[f].request_minutes_lost, b.faults[f].request_minutes_lost,
                1e-9 * a.faults[f].request_minutes_lost);
  }
  EXPECT_NEAR(a.failed_requests_unattributed, b.failed_requests_unattributed, 1e-9 * a.failed_requests + 1e-9);
}

}  // namespace
}  // namespace outagesim::metrics
