// Resolver caches per client region in the world graph, without the engine:
// what a partition cuts a client region off from, and how world::evaluate,
// routing and record_answers combine the regions' caches (docs/models/dns.md).
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/client_reach.hpp"
#include "sim/world/client_routing.hpp"
#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Users 60% in na-east, 40% in ap-southeast, flat demand. The authority has
// servers in na-east only; `www` (TTL 2m) points at the shop; the app's own
// service (in na-east) looks up `www` too.
constexpr const char* text = R"(
scenario: {name: regional-dns, start: 2025-01-01T00:00:00Z, duration: 1h}
providers:
  - name: dns
    kind: dns
    services:
      - {name: auth, instances: {na-east: 1}, capacity: 1M rps}
    records:
      - {name: www, points_to: shop.web, ttl: 2m}
  - name: shop
    services:
      - {name: web, instances: {na-east: 2, ap-southeast: 2}, capacity: 100k rps}
  - name: app
    services:
      - name: api
        instances: {na-east: 2}
        capacity: 100k rps
        depends_on: [{kind: cached, record: dns.www, serve_stale: 10m}]
sites:
  - {name: shop, rps: 10k rps, depends_on: [{kind: cached, record: dns.www, serve_stale: 10m}]}
  - {name: plain, rps: 10k rps, depends_on: [{target: shop.web}]}
traffic:
  client_regions:
    - {region: na-east, users: 60%}
    - {region: ap-southeast, users: 40%}
faults:
  - {id: cut, kind: partition, regions: [ap-southeast], at: +10m}
  - {id: dns-cut, kind: dns_unreachable, provider: dns, regions: [ap-southeast], at: +20m}
)";

class RegionalDns : public ::testing::Test {
 protected:
  int service(const std::string& id) const {
    for (std::size_t s = 0; s < world_.services.size(); ++s)
      if (world_.services[s].id == id) return static_cast<int>(s);
    throw std::runtime_error("no service " + id);
  }
  int region(const std::string& name) const {
    for (std::size_t r = 0; r < world_.platform.regions.size(); ++r)
      if (world_.platform.regions[r].name == name) return static_cast<int>(r);
    throw std::runtime_error("no region " + name);
  }
  /// Cuts ap-southeast off as the engine does: the partition is active and
  /// the instances inside are down for clients.
  void partition() {
    state_.partitions.push_back(0);
    for (std::size_t i = 0; i < world_.instances.size(); ++i)
      if (world_.instances[i].region == region("ap-southeast")) state_.instances[i].up = false;
  }
  /// ap-southeast's resolvers cannot reach the authority from `from_s` on.
  void cut_off_from(double from_s) {
    state_.unreachable_from[1][static_cast<std::size_t>(service("dns.auth"))].push_back({from_s, inf, 0});
  }

  World world_ = build(scenario::load_from_string(text, "regional-dns.yaml"));
  WorldState state_ = WorldState::initial(world_);
};

TEST_F(RegionalDns, APartitionCutsOffTheRegionsInsideFromEverythingOutside) {
  const int auth = service("dns.auth"), shop = service("shop.web");
  EXPECT_TRUE(reaches(world_, state_, 1, auth));
  partition();
  EXPECT_TRUE(separated(world_, state_, region("na-east"), region("ap-southeast")));
  EXPECT_FALSE(separated(world_, state_, region("na-east"), region("na-east")));
  EXPECT_TRUE(reaches(world_, state_, 0, auth));
  EXPECT_FALSE(reaches(world_, state_, 1, auth));  // the authority is on the other side
  EXPECT_FALSE(reaches(world_, state_, 1, shop));  // and the instances inside are down for clients
  EXPECT_TRUE(reaches(world_, state_, 0, shop));
  EXPECT_EQ(cutting_fault(world_, state_, 1, auth), 0);
  EXPECT_EQ(cutting_fault(world_, state_, 0, auth), -1);
}

TEST_F(RegionalDns, ADnsCutOffCutsTheListedRegionsFromTheProvidersAuthorityAlone) {
  const int auth = service("dns.auth"), shop = service("shop.web");
  ASSERT_FALSE(world_.faults.at(1).region_wide);  // its regions are where resolvers are, it hits no instance
  state_.dns_cut_offs.push_back(1);
  EXPECT_FALSE(reaches(world_, state_, 1, auth));
  EXPECT_TRUE(reaches(world_, state_, 0, auth));   // other regions still reach it
  EXPECT_TRUE(reaches(world_, state_, 1, shop));   // and the region reaches everything else
  EXPECT_FALSE(separated(world_, state_, region("na-east"), region("ap-southeast")));
  EXPECT_EQ(cutting_fault(world_, state_, 1, auth), 1);
  EXPECT_EQ(cutting_fault(world_, state_, 0, auth), -1);
  EXPECT_EQ(cutting_fault(world_, state_, 1, shop), -1);
  // A partition active as well is the older cause: it is named first.
  partition();
  EXPECT_EQ(cutting_fault(world_, state_, 1, auth), 0);
}

TEST_F(RegionalDns, EachRegionResolvesThroughItsOwnCaches) {
  // Cut off at 600 s with a 10-minute stale window and a 2-minute TTL: the
  // region's answers expire over [600, 720) and fail 600 s after expiring.
  cut_off_from(600);
  const int www = 0;
  const int site = 0;
  state_.now_s = 600 + 600 + 30;  // a quarter of the TTL past the stale window
  EXPECT_DOUBLE_EQ(record_answers_in(world_, state_, www, 120, 600, 0).unresolved, 0.0);
  EXPECT_NEAR(record_answers_in(world_, state_, www, 120, 600, 1).unresolved, 0.25, 1e-12);
  // Together, weighted by the regions' request shares.
  EXPECT_NEAR(record_answers(world_, state_, www, 120, 600).unresolved, 0.4 * 0.25, 1e-12);

  const Availability a = evaluate(world_, state_, true);
  ASSERT_EQ(a.site_by_client.at(site).size(), 2u);
  EXPECT_DOUBLE_EQ(a.site_by_client[site][0], 1.0);
  EXPECT_NEAR(a.site_by_client[site][1], 0.75, 1e-12);
  EXPECT_NEAR(a.site[site], 0.6 + 0.4 * 0.75, 1e-12);
  EXPECT_TRUE(a.site_by_client[1].empty());  // no record: one view for all
  EXPECT_DOUBLE_EQ(a.site[1], 1.0);
  // A service resolves where it runs, through one population of resolvers
  // that only an outage of the authority for everyone cuts off: the app
  // does not see the users' region cut off, neither pooled nor routed.
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(service("app.api"))], 1.0);
  const RoutedTraffic routed = route_traffic(world_, state_);
  const auto& app = routed.services[static_cast<std::size_t>(service("app.api"))];
  EXPECT_DOUBLE_EQ(app.availability[0], 1.0);
  EXPECT_DOUBLE_EQ(app.availability[1], 1.0);
  state_.unreachable[static_cast<std::size_t>(service("dns.auth"))].push_back({600, inf});
  EXPECT_NEAR(evaluate(world_, state_, true).service[static_cast<std::size_t>(service("app.api"))], 0.75, 1e-12);
  state_.unreachable[static_cast<std::size_t>(service("dns.auth"))].clear();

  state_.now_s = 600 + 600 + 120;  // the whole region fails, the other not at all
  EXPECT_NEAR(evaluate(world_, state_, true).site[site], 0.6, 1e-12);
}

TEST_F(RegionalDns, AFixReachesARegionWhenItCanRefresh) {
  // The record is emptied at 0 and fixed at 900; ap-southeast is cut off
  // over [840, 1500). na-east takes the fix over one TTL; ap-southeast keeps
  // the empty answer it held when cut off, then takes the fix at once.
  auto& history = state_.records[0].history;
  history.push_back({0, -1});
  history.push_back({900, service("shop.web")});
  state_.unreachable_from[1][static_cast<std::size_t>(service("dns.auth"))].push_back({840, 1500, 0});
  const int site = 0;
  state_.now_s = 960;
  auto a = evaluate(world_, state_, true);
  EXPECT_NEAR(a.site_by_client[site][0], 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(a.site_by_client[site][1], 0.0);
  state_.now_s = 1020;
  a = evaluate(world_, state_, true);
  EXPECT_NEAR(a.site_by_client[site][0], 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(a.site_by_client[site][1], 0.0);
  state_.now_s = 1500;
  a = evaluate(world_, state_, true);
  EXPECT_NEAR(a.site_by_client[site][1], 1.0, 1e-12);
  EXPECT_NEAR(a.site[site], 1.0, 1e-12);
}

TEST(RegionalDnsWithoutClientRegions, OnePopulationAsBefore) {
  // The same world without client regions: no per-region state, and
  // record_answers reads the one outage list.
  std::string plain = text;
  plain.erase(plain.find("traffic:"), plain.find("faults:") - plain.find("traffic:"));
  const auto dns_cut = plain.find("  - {id: dns-cut");  // it needs client regions
  plain.erase(dns_cut, plain.find('\n', dns_cut) + 1 - dns_cut);
  const World w = build(scenario::load_from_string(plain, "plain.yaml"));
  WorldState state = WorldState::initial(w);
  EXPECT_TRUE(state.unreachable_from.empty());
  ASSERT_EQ(w.services[0].id, "dns.auth");
  state.unreachable[0].push_back({600, inf});
  state.now_s = 600 + 600 + 60;
  EXPECT_NEAR(record_answers(w, state, 0, 120, 600).unresolved, 0.5, 1e-12);
  const Availability a = evaluate(w, state, true);
  EXPECT_NEAR(a.site[0], 0.5, 1e-12);
  EXPECT_TRUE(a.site_by_client[0].empty());
}

}  // namespace
}  // namespace outagesim::world
