// scenarios/examples/anycast-spillover.yaml through the CLI: a region's users
// spill to the next nearest regions within their capacity, and latency rises
// by the extra distance. Expected values follow from the scenario's own
// numbers (capacities, user shares) and the backbone's distance model.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

void expect_all_near(const std::vector<double>& values, double expected, const std::string& what) {
  ASSERT_FALSE(values.empty()) << what;
  for (double v : values) EXPECT_NEAR(v, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
}

class AnycastSpillover : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = world::build(scenario::load(example("anycast-spillover")));
    dir_ = run_example("anycast-spillover");
    const auto& site = world_.sites.at(0);
    for (std::size_t c = 0; c < world_.client_regions.size(); ++c)
      demand_[world_.client_region_names[c]] = site.rps * world_.client_regions[c].users;
    for (const auto& i : world_.instances)
      capacity_[world_.platform.regions[static_cast<std::size_t>(i.region)].name] += i.capacity_rps;
  }

  double rtt(const std::string& a, const std::string& b) const {
    const auto find = [&](const std::string& name) {
      return *std::find_if(world_.platform.regions.begin(), world_.platform.regions.end(),
                           [&](const world::Region& r) { return r.name == name; });
    };
    return 2 * world::backbone_latency_s(find(a), find(b));
  }

  Series client(const std::string& region) const {
    return read_series(dir_, "service", "cdn.edge/" + region, "client_availability");
  }

  world::World world_;
  fs::path dir_;
  std::map<std::string, double> demand_, capacity_;
};

TEST_F(AnycastSpillover, LondonsUsersAreServedElsewhereWhileCapacityLasts) {
  const auto& fault = world_.faults.at(0);
  const double from = fault.at_s, to = fault.at_s + *fault.duration_s;
  const double total = world_.sites.at(0).rps;
  // The scenario's numbers make London's users spill past Frankfurt to Ashburn...
  const double frankfurt_room = capacity_["eu-central"] - demand_["eu-central"];
  const double to_ashburn = demand_["eu-west"] - frankfurt_room;
  ASSERT_GT(frankfurt_room, 0);
  ASSERT_GT(to_ashburn, 0);
  // ...and Ashburn has room for them.
  ASSERT_LE(to_ashburn, capacity_["na-east"] - demand_["na-east"]);

  for (const std::string region : {"eu-west", "eu-central", "na-east"}) {
    expect_all_near(inside(client(region), 0, from), 1.0, region + " before");
    expect_all_near(inside(client(region), from, to), 1.0, region + " during");
  }
  // Traffic conserved: every request is served somewhere.
  expect_all_near(inside(read_series(dir_, "global", "", "availability"), from, to), 1.0, "global");
  const Series p50 = read_series(dir_, "global", "", "latency_p50_s");
  const Series p95 = read_series(dir_, "global", "", "latency_p95_s");
  expect_all_near(inside(p50, 0, from), 0.0, "p50 before: everyone served at home");
  expect_all_near(inside(p95, 0, from), 0.0, "p95 before");
  // Requests at home, then at Frankfurt, then at Ashburn, by latency.
  const double at_home = (demand_["eu-central"] + demand_["na-east"]) / total;
  const double up_to_frankfurt = at_home + frankfurt_room / total;
  ASSERT_LT(at_home, 0.5);
  ASSERT_GE(up_to_frankfurt, 0.5);
  ASSERT_LT(up_to_frankfurt, 0.95);
  expect_all_near(inside(p50, from, to), rtt("eu-west", "eu-central"), "p50 during");
  expect_all_near(inside(p95, from, to), rtt("eu-west", "na-east"), "p95 during");
  expect_all_near(inside(p50, to, world_.faults.at(1).at_s), 0.0, "p50 after");
}

TEST_F(AnycastSpillover, AggregatedClientSeriesAreOnePerClientRegion) {
  // output.client_series (docs/outputs.md): one series per client region over
  // the services sites name, in place of one per service and client region.
  // With one service, each region's aggregate is that service's view.
  // run_example reuses the directory: read the default run's series first.
  std::map<std::string, Series> per_services;
  for (const auto& region : world_.client_region_names) {
    per_services[region] = client(region);
    // The default for a scenario this small: one series per service and client region.
    EXPECT_TRUE(read_series(dir_, "client_region", region, "client_availability").empty());
  }
  const auto aggregated = run_example("anycast-spillover", "--set output.client_series=aggregated");
  for (const auto& region : world_.client_region_names) {
    const Series& per_service = per_services[region];
    const Series per_region = read_series(aggregated, "client_region", region, "client_availability");
    ASSERT_EQ(per_service.size(), per_region.size()) << region;
    ASSERT_FALSE(per_region.empty()) << region;
    for (std::size_t k = 0; k < per_region.size(); ++k)
      EXPECT_NEAR(per_region[k].second, per_service[k].second, 1e-12) << region << " at " << per_region[k].first;
    EXPECT_EQ(read_series(aggregated, "client_region", region, "client_latency_s").size(), per_region.size());
    EXPECT_TRUE(read_series(aggregated, "service", "cdn.edge/" + region, "client_availability").empty());
  }
}

TEST_F(AnycastSpillover, WithEuropeDownAshburnServesItsOwnUsersFirstAndSharesTheRest) {
  const auto& fault = world_.faults.at(1);
  const double from = fault.at_s, to = fault.at_s + *fault.duration_s;
  const double total = world_.sites.at(0).rps;
  const double ashburn = capacity_["na-east"];
  ASSERT_LT(ashburn, total);
  const double left = ashburn - demand_["na-east"];
  const double europe = demand_["eu-west"] + demand_["eu-central"];
  ASSERT_GT(left, 0);
  ASSERT_LT(left, europe);

  expect_all_near(inside(client("na-east"), from, to), 1.0, "na-east");
  expect_all_near(inside(client("eu-west"), from, to), left / europe, "eu-west");
  expect_all_near(inside(client("eu-central"), from, to), left / europe, "eu-central");
  // Served over the client regions equals Ashburn's capacity, as the
  // service's own (pool) availability says.
  double served = 0;
  for (const auto& [region, rps] : demand_) served += rps * inside(client(region), from, to).at(0);
  EXPECT_NEAR(served, ashburn, 1e-6);
  expect_all_near(inside(read_series(dir_, "global", "", "availability"), from, to), ashburn / total, "global");

  // Latency over the requests served: Ashburn's own at 0, then London's, then Frankfurt's.
  const double home = demand_["na-east"] / ashburn;
  const double london = left * demand_["eu-west"] / europe / ashburn;
  ASSERT_LT(rtt("eu-west", "na-east"), rtt("eu-central", "na-east"));
  ASSERT_LT(home, 0.5);
  ASSERT_GE(home + london, 0.5);
  ASSERT_LT(home + london, 0.95);
  expect_all_near(inside(read_series(dir_, "global", "", "latency_p50_s"), from, to), rtt("eu-west", "na-east"), "p50");
  expect_all_near(inside(read_series(dir_, "global", "", "latency_p95_s"), from, to), rtt("eu-central", "na-east"),
                  "p95");
  for (const std::string region : {"eu-west", "eu-central", "na-east"})
    expect_all_near(inside(client(region), to, world_.duration_s + 1), 1.0, region + " after");
}

// scenarios/examples/origin-chain.yaml: the CDN's cache misses go to the
// origin from the PoPs that served them, to the nearest origin region with
// room; when the nearer origin region fails, they cross to the other one.
class OriginChain : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = world::build(scenario::load(example("origin-chain")));
    dir_ = run_example("origin-chain");
    const auto& site = world_.sites.at(0);
    share_ = world_.services.at(0).dependencies.at(0).share;
    for (std::size_t c = 0; c < world_.client_regions.size(); ++c)
      demand_[world_.client_region_names[c]] = site.rps * world_.client_regions[c].users;
    for (const auto& i : world_.instances)
      if (world_.services[static_cast<std::size_t>(i.service)].id == "cloud.origin")
        origin_capacity_[world_.platform.regions[static_cast<std::size_t>(i.region)].name] += i.capacity_rps;
  }

  double rtt(const std::string& a, const std::string& b) const {
    const auto find = [&](const std::string& name) {
      return *std::find_if(world_.platform.regions.begin(), world_.platform.regions.end(),
                           [&](const world::Region& r) { return r.name == name; });
    };
    return 2 * world::backbone_latency_s(find(a), find(b));
  }
  /// The cache misses of a client region's requests, all served by its own PoPs.
  double misses(const std::string& region) { return share_ * demand_[region]; }
  Series edge(const std::string& region, const std::string& metric) const {
    return read_series(dir_, "service", "cdn.edge/" + region, metric);
  }

  world::World world_;
  fs::path dir_;
  double share_ = 0;
  std::map<std::string, double> demand_, origin_capacity_;
};

TEST_F(OriginChain, MissesCrossToTheOtherOriginRegionAndPayItsRoundTrip) {
  ASSERT_EQ(world_.services.at(0).id, "cdn.edge");
  const auto& down = world_.faults.at(0);
  const double from = down.at_s, to = down.at_s + *down.duration_s;
  // Each PoP region's misses go to its nearest origin region...
  ASSERT_LT(rtt("eu-west", "eu-central"), rtt("eu-west", "na-central"));
  ASSERT_LT(rtt("na-east", "na-central"), rtt("na-east", "eu-central"));
  ASSERT_LT(rtt("na-west", "na-central"), rtt("na-west", "eu-central"));
  // ...and Chicago has room for London's misses besides its own.
  ASSERT_LE(misses("eu-west"), origin_capacity_["na-central"] - misses("na-east") - misses("na-west"));

  const std::map<std::string, std::string> nearest_origin{
      {"eu-west", "eu-central"}, {"na-east", "na-central"}, {"na-west", "na-central"}};
  for (const auto& [region, origin] : nearest_origin) {
    expect_all_near(inside(edge(region, "client_availability"), 0, from), 1.0, region + " before");
    expect_all_near(inside(edge(region, "client_availability"), from, to), 1.0, region + " during");
    // A share of the requests waits for the origin's round trip.
    expect_all_near(inside(edge(region, "client_latency_s"), 0, from), share_ * rtt(region, origin), region + " before");
  }
  expect_all_near(inside(edge("eu-west", "client_latency_s"), from, to), share_ * rtt("eu-west", "na-central"),
                  "London's misses in Chicago");
  expect_all_near(inside(edge("na-east", "client_latency_s"), from, to), share_ * rtt("na-east", "na-central"),
                  "Ashburn unchanged");
  expect_all_near(inside(edge("na-west", "client_latency_s"), from, to), share_ * rtt("na-west", "na-central"),
                  "San Jose unchanged");
  expect_all_near(inside(read_series(dir_, "global", "", "availability"), from, to), 1.0, "global");

  // Global percentiles over the users' requests: London 40%, Ashburn 40%, San Jose 20%.
  const double london = share_ * rtt("eu-west", "eu-central"), ashburn = share_ * rtt("na-east", "na-central");
  const double san_jose = share_ * rtt("na-west", "na-central"), london_far = share_ * rtt("eu-west", "na-central");
  ASSERT_LT(london, ashburn);
  ASSERT_LT(ashburn, san_jose);
  ASSERT_LT(san_jose, london_far);
  const Series p50 = read_series(dir_, "global", "", "latency_p50_s");
  const Series p95 = read_series(dir_, "global", "", "latency_p95_s");
  expect_all_near(inside(p50, 0, from), ashburn, "p50 before");
  expect_all_near(inside(p95, 0, from), san_jose, "p95 before");
  expect_all_near(inside(p50, from, to), san_jose, "p50 during: Ashburn 40%, then San Jose 20%");
  expect_all_near(inside(p95, from, to), london_far, "p95 during");
  expect_all_near(inside(edge("eu-west", "client_latency_s"), to, world_.faults.at(1).at_s), london, "London after");
}

TEST_F(OriginChain, WithoutRoomInChicagoLondonLosesTheMissesThatDoNotFit) {
  const auto& down = world_.faults.at(1);
  const auto& degraded = world_.faults.at(2);
  ASSERT_EQ(down.at_s, degraded.at_s);
  const double from = down.at_s, to = down.at_s + *down.duration_s;
  const double chicago = origin_capacity_["na-central"] * std::get<scenario::faults::CapacityLoss>(degraded.kind).capacity_factor;
  const double left = chicago - misses("na-east") - misses("na-west");
  ASSERT_GT(left, 0);
  ASSERT_LT(left, misses("eu-west"));

  const double london = 1 - share_ * (1 - left / misses("eu-west"));
  expect_all_near(inside(edge("eu-west", "client_availability"), from, to), london, "London");
  expect_all_near(inside(edge("na-east", "client_availability"), from, to), 1.0, "Ashburn");
  expect_all_near(inside(edge("na-west", "client_availability"), from, to), 1.0, "San Jose");
  // Conserved along the chain: the requests failed as the client regions see
  // them are the misses Chicago cannot take, as the origin's pooled capacity says.
  double total = 0, failed = 0, all_misses = 0;
  for (const auto& [region, rps] : demand_) {
    total += rps;
    all_misses += misses(region);
    failed += rps * (1 - inside(edge(region, "client_availability"), from, to).at(0));
  }
  EXPECT_NEAR(failed, all_misses - chicago, 1e-6);
  expect_all_near(inside(read_series(dir_, "global", "", "failed_rps"), from, to), all_misses - chicago, "failed");
  expect_all_near(inside(read_series(dir_, "service", "cloud.origin", "availability"), from, to), chicago / all_misses,
                  "origin pooled");
  expect_all_near(inside(edge("eu-west", "client_latency_s"), from, to), share_ * rtt("eu-west", "na-central"),
                  "London's served misses in Chicago");
  for (const std::string region : {"eu-west", "na-east", "na-west"})
    expect_all_near(inside(edge(region, "client_availability"), to, world_.duration_s + 1), 1.0, region + " after");
}

}  // namespace
}  // namespace outagesim
