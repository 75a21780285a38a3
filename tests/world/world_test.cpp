#include "sim/world/world.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/state.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

TEST(AssignVariants, EveryPrefixFollowsTheShares) {
  auto v = assign_variants({0.3, 0.7}, 10);
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(std::count(v.begin(), v.end(), 0), 3);
  EXPECT_EQ(std::count(v.begin(), v.end(), 1), 7);
  // Spread, not blocked: the first half already holds one or two of variant 0.
  auto first_half = std::count(v.begin(), v.begin() + 5, 0);
  EXPECT_GE(first_half, 1);
  EXPECT_LE(first_half, 2);
  EXPECT_EQ(assign_variants({1.0}, 4), (std::vector<int>{0, 0, 0, 0}));
}

TEST(BackboneLatency, FollowsDistanceAtTheSpeedOfLightInFibre) {
  Region london{"eu-west", 51.51, -0.13}, ashburn{"na-east", 39.04, -77.49}, sydney{"oc-east", -33.87, 151.21};
  // London-Ashburn is about 5,900 km: 1 ms + 5,900 * 1.3 / 200,000 s, about 39 ms one way.
  EXPECT_NEAR(backbone_latency_s(london, ashburn), 0.039, 0.002);
  EXPECT_DOUBLE_EQ(backbone_latency_s(london, london), 1e-3);
  EXPECT_GT(backbone_latency_s(london, sydney), backbone_latency_s(london, ashburn));
  EXPECT_DOUBLE_EQ(backbone_latency_s(london, sydney), backbone_latency_s(sydney, london));
}

class ExampleWorld : public ::testing::Test {
 protected:
  scenario::Scenario scenario_ = scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml");
  World world_ = build(scenario_);
};

TEST_F(ExampleWorld, ComponentsMatchTheScenario) {
  ASSERT_EQ(world_.services.size(), 1u);
  EXPECT_EQ(world_.services[0].id, "cdn.proxy");
  EXPECT_EQ(world_.instances.size(), 30u);
  EXPECT_EQ(world_.platform.regions.size(), 8u);
  int fl2 = 0;
  for (const auto& i : world_.instances) fl2 += i.variant == 1;
  EXPECT_EQ(fl2, 21);  // 70% of 30
  ASSERT_EQ(world_.channels.size(), 1u);
  EXPECT_EQ(world_.channels[0].origin_host, "cdn.features@origin");
  EXPECT_DOUBLE_EQ(world_.faults[0].size_bytes, 4e6);  // the fault's own size wins
  EXPECT_EQ(world_.faults[0].error_rate_by_variant, (std::vector<double>{0.0, 1.0}));
  ASSERT_EQ(world_.actions.size(), 1u);
  EXPECT_DOUBLE_EQ(*world_.actions[0].at_s, 3000);
}

TEST_F(ExampleWorld, PlatformConnectsEveryHostToItsRegionRouter) {
  const auto& p = world_.platform;
  EXPECT_EQ(p.hosts.size(), 32u);  // 30 PoPs, the publisher and the CDN's control plane
  EXPECT_EQ(p.routers.size(), p.regions.size());
  // One access link per host plus a full mesh of backbone links.
  const std::size_t r = p.regions.size();
  EXPECT_EQ(p.links.size(), p.hosts.size() + r * (r - 1) / 2);
  for (const auto& host : p.hosts) {
    EXPECT_EQ(std::count_if(p.edges.begin(), p.edges.end(), [&](const Edge& e) { return e.from == host; }), 1)
        << host;
  }
}

TEST_F(ExampleWorld, EachProviderHasAControlPlaneHostInTheRegionOfItsFirstInstance) {
  const auto& p = world_.platform;
  ASSERT_EQ(p.control_planes.size(), 1u);
  const ControlPlane& control = p.control_planes[0];
  EXPECT_EQ(control.provider, "cdn");
  EXPECT_EQ(control.host, "control@cdn");
  EXPECT_EQ(control.region, world_.instances[0].region);
  EXPECT_NE(std::find(p.hosts.begin(), p.hosts.end(), control.host), p.hosts.end());
  // Linked to its region's router, as a PoP is.
  auto edge = std::find_if(p.edges.begin(), p.edges.end(), [&](const Edge& e) { return e.from == control.host; });
  ASSERT_NE(edge, p.edges.end());
  EXPECT_EQ(edge->to, p.routers[static_cast<std::size_t>(control.region)]);
  const Link& link = p.links[static_cast<std::size_t>(edge->link)];
  EXPECT_DOUBLE_EQ(link.bandwidth_Bps, control_plane_bandwidth_Bps);
  EXPECT_DOUBLE_EQ(link.latency_s, access_latency_s);
  EXPECT_EQ(control_plane_host(p, "cdn"), "control@cdn");
  EXPECT_TRUE(p.clients.empty());  // the example lists no client regions
}

TEST(Platform, EveryProviderGetsItsOwnControlPlane) {
  const World w = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/dns-failover.yaml"));
  std::vector<std::string> providers, hosts;
  for (const auto& c : w.platform.control_planes) {
    providers.push_back(c.provider);
    hosts.push_back(control_plane_host(w.platform, c.provider));
  }
  EXPECT_EQ(providers, (std::vector<std::string>{"dns", "cdn-a", "cdn-b"}));
  EXPECT_EQ(hosts, (std::vector<std::string>{"control@dns", "control@cdn-a", "control@cdn-b"}));
  // A fault or action naming no provider acts from the first provider's.
  EXPECT_EQ(control_plane_host(w.platform, ""), "control@dns");
}

TEST(Platform, EachClientRegionGetsAHostLinkedToTheBackbone) {
  scenario::Scenario s = scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml");
  // af-south has no PoP: its router exists for the clients alone.
  s.traffic.client_regions = {{"eu-west", 0.6, 0}, {"af-south", 0.4, 2 * 3600}};
  s.sources.reset();  // written in code, not in a file: `run` would refuse traffic.client_regions today
  const World w = build(s);
  const auto& p = w.platform;
  ASSERT_EQ(p.clients.size(), 2u);
  std::vector<std::string> regions;
  for (const auto& c : p.clients) {
    regions.push_back(p.regions[static_cast<std::size_t>(c.region)].name);
    EXPECT_NE(std::find(p.hosts.begin(), p.hosts.end(), c.host), p.hosts.end()) << c.host;
    auto edge = std::find_if(p.edges.begin(), p.edges.end(), [&](const Edge& e) { return e.from == c.host; });
    ASSERT_NE(edge, p.edges.end()) << c.host;
    EXPECT_EQ(edge->to, p.routers[static_cast<std::size_t>(c.region)]);
    EXPECT_DOUBLE_EQ(p.links[static_cast<std::size_t>(edge->link)].bandwidth_Bps, s.network.backbone_bandwidth_Bps);
  }
  EXPECT_EQ(regions, (std::vector<std::string>{"eu-west", "af-south"}));
  EXPECT_EQ(p.clients[1].host, "clients@af-south");
  // The new region joins the backbone mesh: one link to each other region.
  const std::string af = "router:af-south";
  const auto links_of_af = std::count_if(p.edges.begin(), p.edges.end(),
                                         [&](const Edge& e) { return e.from == af || e.to == af; });
  EXPECT_EQ(static_cast<std::size_t>(links_of_af), (p.regions.size() - 1) + 1);  // backbone plus the client link
  EXPECT_EQ(p.regions.size(), 9u);  // the example's 8 PoP regions and af-south
}

TEST_F(ExampleWorld, StateAppliesNewerVersionsOnly) {
  WorldState state = WorldState::initial(world_);
  const int bad = state.publish(0, 0, 4e6, world_.faults[0].error_rate_by_variant, "fault:bad-feature-file");
  const auto& consumers = world_.services[0].instances;
  std::size_t fl2_consumer = 0;
  while (world_.instances[static_cast<std::size_t>(consumers[fl2_consumer])].variant != 1) ++fl2_consumer;
  const int k = static_cast<int>(fl2_consumer);
  EXPECT_TRUE(state.apply(world_, 0, k, bad));
  EXPECT_DOUBLE_EQ(state.instances[static_cast<std::size_t>(consumers[fl2_consumer])].error_rate, 1.0);
  EXPECT_FALSE(state.apply(world_, 0, k, bad));  // already running it
  const int good = state.publish(0, -1, 4e6, {}, "operator:sre");
  EXPECT_TRUE(state.apply(world_, 0, k, good));
  EXPECT_DOUBLE_EQ(state.instances[static_cast<std::size_t>(consumers[fl2_consumer])].error_rate, 0.0);
  EXPECT_FALSE(state.apply(world_, 0, k, bad));  // a late copy of the older version changes nothing
  EXPECT_EQ(state.versions[static_cast<std::size_t>(good)].label(world_), "cdn.features@v2");
}

TEST(RestartAction, TargetsAndJitterAreResolved) {
  const World w = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/fault-crash.yaml"));
  ASSERT_EQ(w.actions.size(), 1u);
  const Action& restart = w.actions[0];
  ASSERT_TRUE(std::holds_alternative<scenario::actions::Restart>(restart.kind));
  EXPECT_EQ(w.services[static_cast<std::size_t>(restart.service)].id, "cdn.proxy");
  EXPECT_EQ(std::get<scenario::actions::Restart>(restart.kind).jitter_s, 120);
  std::vector<int> eu_west;
  for (int i : w.services[static_cast<std::size_t>(restart.service)].instances)
    if (w.platform.regions[static_cast<std::size_t>(w.instances[static_cast<std::size_t>(i)].region)].name == "eu-west")
      eu_west.push_back(i);
  EXPECT_EQ(restart.instances, eu_west);
}

int service_named(const World& w, const std::string& id) {
  for (std::size_t s = 0; s < w.services.size(); ++s)
    if (w.services[s].id == id) return static_cast<int>(s);
  throw std::runtime_error("no service " + id);
}

TEST(RerouteAction, IsResolvedAndOrdersTheNewTargetFirst) {
  const World w = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/operator-reroute.yaml"));
  const int kv = service_named(w, "cdn.kv"), proxy = service_named(w, "cdn.proxy"),
            prior = service_named(w, "cdn.proxy_prior");
  const auto reroute = std::find_if(w.actions.begin(), w.actions.end(),
                                    [](const Action& a) { return std::holds_alternative<scenario::actions::Reroute>(a.kind); });
  ASSERT_NE(reroute, w.actions.end());
  EXPECT_EQ(reroute->service, kv);
  EXPECT_EQ(reroute->from, proxy);
  EXPECT_EQ(reroute->to, prior);
  // kv is evaluated after what the reroute may make it depend on.
  const auto position = [&](int s) { return std::find(w.service_order.begin(), w.service_order.end(), s); };
  EXPECT_LT(position(prior), position(kv));
}

TEST(RerouteAction, EvaluateHonoursTheOverride) {
  const World w = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/operator-reroute.yaml"));
  const int kv = service_named(w, "cdn.kv"), proxy = service_named(w, "cdn.proxy"),
            prior = service_named(w, "cdn.proxy_prior");
  WorldState state = WorldState::initial(w);
  for (int i : w.services[static_cast<std::size_t>(proxy)].instances) state.instances[static_cast<std::size_t>(i)].error_rate = 1;
  EXPECT_DOUBLE_EQ(evaluate(w, state).service[static_cast<std::size_t>(kv)], 0.0);
  state.overrides.push_back({kv, proxy, prior, world::ActionIndex{0}});
  const Availability a = evaluate(w, state);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(kv)], 1.0);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(proxy)], 0.0);
  const auto deps = effective_dependencies(w, state, kv);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].services, std::vector<int>{prior});
}


/// The 2025-11-18 replay: Turnstile runs on the FL2 proxies, and the
/// dashboard's login path has returning users.
class LoginBacklogWorld : public ::testing::Test {
 protected:
  World w_ = build(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/incidents/cloudflare-2025-11-18.yaml"));
  int proxy_ = service_named(w_, "cloudflare.proxy"), turnstile_ = service_named(w_, "cloudflare.turnstile"),
      login_ = service_named(w_, "cloudflare.dashboard_login"), dashboard_ = service_named(w_, "cloudflare.dashboard");

  /// Every proxy instance of `variant` fails every request.
  void fail_variant(WorldState& state, const std::string& variant) const {
    const auto& proxy = w_.services[static_cast<std::size_t>(proxy_)];
    for (int i : proxy.instances)
      if (proxy.variants[static_cast<std::size_t>(w_.instances[static_cast<std::size_t>(i)].variant)] == variant)
        state.instances[static_cast<std::size_t>(i)].error_rate = 1;
  }
};

TEST_F(LoginBacklogWorld, ADependencyPinnedToAVariantFailsWithThatVariantOnly) {
  WorldState state = WorldState::initial(w_);
  fail_variant(state, "fl1");
  auto a = evaluate(w_, state);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(proxy_)], 0.5);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(turnstile_)], 1.0) << "FL1 failing leaves Turnstile up";
  state = WorldState::initial(w_);
  fail_variant(state, "fl2");
  a = evaluate(w_, state);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(proxy_)], 0.5);
  EXPECT_DOUBLE_EQ(a.service[static_cast<std::size_t>(turnstile_)], 0.0) << "FL2 failing takes Turnstile down";
}

TEST_F(LoginBacklogWorld, ReturningLoginsReachTheControlPlaneOnlyPastTurnstile) {
  WorldState state = WorldState::initial(w_);
  EXPECT_EQ(returning_load(w_, state), std::vector<double>(w_.services.size(), 0.0)) << "nobody waiting";
  const auto& params = w_.services[static_cast<std::size_t>(login_)].queue;
  ASSERT_GT(params.return_share, 0);
  state.services[static_cast<std::size_t>(login_)].queue.waiting = 1e6;
  // A step takes 1 - e^(-step / after) of the waiting users.
  const double returning = 1e6 * (1 - std::exp(-params.step_s / params.return_after_s)) / params.step_s;
  auto load = returning_load(w_, state);
  EXPECT_NEAR(load[static_cast<std::size_t>(dashboard_)], returning, 1e-9 * returning);
  EXPECT_NEAR(load[static_cast<std::size_t>(turnstile_)], returning, 1e-9 * returning);
  EXPECT_DOUBLE_EQ(load[static_cast<std::size_t>(proxy_)], 0.0) << "one level deep";
  // Turnstile down: the logins stop there, the control plane sees none.
  fail_variant(state, "fl2");
  load = returning_load(w_, state);
  EXPECT_DOUBLE_EQ(load[static_cast<std::size_t>(dashboard_)], 0.0);
  // And the load counts as first attempts of the control plane.
  state = WorldState::initial(w_);
  const double before = queue_inputs(w_, state, dashboard_, 1.0).fresh_rps;
  state.services[static_cast<std::size_t>(dashboard_)].forwarded_rps = returning;
  EXPECT_NEAR(queue_inputs(w_, state, dashboard_, 1.0).fresh_rps, before + returning, 1e-9 * returning);
}

}  // namespace
}  // namespace outagesim::world
