// Cached dependencies in the world graph, without the engine: how a
// dependency through a record is resolved and ordered, and what
// world::evaluate makes of a record's history, a source's outages and the
// time stored in the state.
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

constexpr const char* text = R"(
scenario: {name: dns-world, start: 2025-01-01T00:00:00Z, duration: 1h}
providers:
  - name: dns
    kind: dns
    services:
      - {name: auth, instances: {na-east: 1}, capacity: 1M rps}
    records:
      - {name: api, points_to: b.api, secondary: c.api, ttl: 2m}
  - name: app
    services:
      - name: web
        instances: {na-east: 2}
        capacity: 100k rps
        depends_on: [{kind: cached, record: dns.api}]
  - name: b
    services:
      - {name: api, instances: {na-east: 2}, capacity: 100k rps}
  - name: c
    services:
      - {name: api, instances: {eu-west: 2}, capacity: 100k rps}
  - name: x
    services:
      - {name: api, instances: {eu-west: 1}, capacity: 100k rps}
sites:
  - {name: s1, rps: 10k rps, depends_on: [{target: app.web}]}
  - {name: s2, rps: 10k rps, depends_on: [{kind: cached, target: b.api, ttl: 5m}]}
faults:
  - {id: wrong, kind: dns_record_change, record: dns.api, change: wrong_target, new_target: x.api, at: +10m}
)";

class DnsWorld : public ::testing::Test {
 protected:
  int service(const std::string& id) const {
    for (std::size_t s = 0; s < world_.services.size(); ++s)
      if (world_.services[s].id == id) return static_cast<int>(s);
    throw std::runtime_error("no service " + id);
  }
  std::size_t position(int s) const {
    return static_cast<std::size_t>(std::find(world_.service_order.begin(), world_.service_order.end(), s) -
                                    world_.service_order.begin());
  }
  void fail(const std::string& id) {
    for (int i : world_.services[static_cast<std::size_t>(service(id))].instances)
      state_.instances[static_cast<std::size_t>(i)].error_rate = 1;
  }
  double site(const std::string& name) {
    const Availability a = evaluate(world_, state_);
    for (std::size_t s = 0; s < world_.sites.size(); ++s)
      if (world_.sites[s].name == name) return a.site[s];
    throw std::runtime_error("no site " + name);
  }

  World world_ = build(scenario::load_from_string(text, "dns-world.yaml"));
  WorldState state_ = WorldState::initial(world_);
};

TEST_F(DnsWorld, ADependencyThroughARecordIsResolved) {
  ASSERT_EQ(world_.records.size(), 1u);
  EXPECT_EQ(world_.records[0].authority, service("dns.auth"));
  const auto& d = world_.services[static_cast<std::size_t>(service("app.web"))].dependencies.at(0);
  EXPECT_TRUE(d.cached);
  EXPECT_EQ(d.record, 0);
  EXPECT_DOUBLE_EQ(d.ttl_s, 120);  // the record's
  EXPECT_EQ(d.services, (std::vector<int>{service("b.api")}));
  // Every service the record may answer comes before the dependent service.
  for (const char* answer : {"b.api", "c.api", "x.api"}) EXPECT_LT(position(service(answer)), position(service("app.web")));
  // The load goes to the primary.
  EXPECT_DOUBLE_EQ(world_.services[static_cast<std::size_t>(service("b.api"))].offered_rps, 20e3);
  EXPECT_DOUBLE_EQ(world_.services[static_cast<std::size_t>(service("c.api"))].offered_rps, 0);
  EXPECT_EQ(state_.records.at(0).answer, service("b.api"));
}

TEST_F(DnsWorld, ClientsSplitBetweenAnswersByTheTimeSinceTheChange) {
  fail("b.api");
  state_.records[0].history.push_back({600, service("c.api")});
  state_.now_s = 600;
  EXPECT_DOUBLE_EQ(site("s1"), 0.0);
  state_.now_s = 660;  // half a TTL: half the clients on c.api
  EXPECT_NEAR(site("s1"), 0.5, 1e-12);
  state_.now_s = 720;
  EXPECT_NEAR(site("s1"), 1.0, 1e-12);
  state_.records[0].history.push_back({720, -1});  // emptied
  state_.now_s = 750;
  EXPECT_NEAR(site("s1"), 0.75, 1e-12);
}

TEST_F(DnsWorld, ACacheOfAServiceHidesItsOutageForOneTtl) {
  fail("b.api");
  state_.now_s = 660;
  EXPECT_DOUBLE_EQ(site("s2"), 1.0);  // refreshes still succeed somewhere: no outage recorded
  state_.unreachable[static_cast<std::size_t>(service("b.api"))].push_back(
      {600, std::numeric_limits<double>::infinity()});
  EXPECT_NEAR(site("s2"), 1 - 60.0 / 300, 1e-12);
  state_.now_s = 900;
  EXPECT_NEAR(site("s2"), 0.0, 1e-12);
}

}  // namespace
}  // namespace outagesim::world
