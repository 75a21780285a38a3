// Dependency classes and incremental evaluation (docs/models/evaluation.md):
// which sites share a class, that evaluating a class once gives every site
// what a site-by-site evaluation gives, and that world::Evaluator, which
// recomputes only what changed, matches a full evaluation after every change.
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/evaluator.hpp"
#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

constexpr const char* providers = R"(
scenario: {name: classes, start: 2025-01-01T00:00:00Z, duration: 2h}
providers:
  - name: dns
    services: [{name: auth, instances: {na-east: 1, eu-west: 1}, capacity: 1M rps}]
    records:
      - {name: r0, points_to: p0.svc, secondary: p1.svc, ttl: 1m}
      - {name: r1, points_to: p2.svc, ttl: 5m}
  - name: p0
    services: [{name: svc, instances: {na-east: 2, eu-west: 1}, capacity: 40k rps,
                variants: [{name: a, share: 34%}, {name: b, share: 66%}]}]
  - name: p1
    services: [{name: svc, instances: {na-east: 1, eu-west: 1}, capacity: 40k rps, queue: {max_wait: 5s}}]
  - name: p2
    services: [{name: svc, instances: {na-east: 2}, capacity: 40k rps, depends_on: [{target: p0.svc}]}]
  - name: p3
    services:
      - {name: svc, instances: {eu-west: 2}, capacity: 40k rps,
         depends_on: [{target: p1.svc}, {kind: soft, target: p0.svc}]}
  - name: p4
    services:
      - {name: svc, instances: {na-east: 1, eu-west: 1}, capacity: 40k rps,
         returning_users: {share: 50%, after: 5m},
         depends_on: [{kind: cached, record: dns.r0, serve_stale: 10m}]}
traffic:
  client_regions:
    - {region: eu-west, users: 60%, utc_offset: 1h}
    - {region: na-east, users: 40%, utc_offset: -5h}
  diurnal: {peak_to_trough: 3, peak_hour: 20}
operators:
  - name: sre
    actions: [{at: +1h, do: reroute, service: p3.svc, from: p1.svc, to: p2.svc}]
)";

/// Dependency lists the random sites draw from, so that classes repeat.
const std::vector<std::string> templates{
    "[{target: p0.svc}]",
    "[{target: p0.svc, share: 50%}]",
    "[{target: p2.svc}, {kind: soft, target: p3.svc}]",
    "[{kind: any_of, targets: [p1.svc, p3.svc]}]",
    "[{kind: k_of_n, targets: [p0.svc, p1.svc, p4.svc], k: 2}]",
    "[{kind: k_of_n, targets: [p0.svc, p1.svc, p4.svc], k: 1}]",
    "[{kind: cached, record: dns.r0}]",
    "[{kind: cached, record: dns.r0, serve_stale: 10m}, {target: p4.svc}]",
    "[{kind: cached, record: dns.r1}]",
    "[{kind: cached, target: p1.svc, ttl: 2m}]",
    "[{kind: cached, target: p1.svc, ttl: 3m}]",
    "[{target: p3.svc}, {target: p4.svc, share: 30%}]",
    // Pinned to a variant: its instances can fail while p0.svc's pooled
    // availability stays at 1, so the class must be watched on its own.
    "[{target: p0.svc, variant: b}]",
    "[{target: p0.svc, variant: a}, {target: p2.svc}]",
};

World random_world(std::mt19937& rng, int sites) {
  std::string text = providers;
  text += "sites:\n";
  std::uniform_int_distribution<std::size_t> pick(0, templates.size() - 1);
  std::uniform_int_distribution<int> rps(1, 500);
  for (int s = 0; s < sites; ++s)
    text += fmt::format("  - {{name: s{}, rps: {} rps, depends_on: {}}}\n", s, rps(rng) * 10, templates[pick(rng)]);
  return build(scenario::load_from_string(text, "classes.yaml"));
}

/// One random change to the state, of the kinds the engine makes: an
/// instance failing or recovering, a config error rate, a surge, throttling,
/// a queue, users waiting to come back, a record's answer, an authority's
/// outage (for all, or for one client region), a reroute, or time.
void change(const World& world, WorldState& state, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto index = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  const std::vector<double> levels{0.0, 0.25, 0.5, 1.0};
  switch (index(11)) {
    case 0: {
      auto& i = state.instances[index(state.instances.size())];
      i.up = !i.up;
      break;
    }
    case 1: state.instances[index(state.instances.size())].error_rate = levels[index(levels.size())]; break;
    case 2: state.instances[index(state.instances.size())].capacity_factor = levels[index(levels.size())]; break;
    case 3: state.services[index(state.services.size())].load_factor = 1 + 3 * u(rng); break;
    case 4: state.services[index(state.services.size())].admit = levels[index(levels.size())]; break;
    case 5: {
      auto& record = state.records[index(state.records.size())];
      const std::vector<int> answers{-1, 1, 2, 3};
      record.answer = answers[index(answers.size())];
      record.history.push_back({state.now_s, record.answer});
      break;
    }
    case 6: {
      // The authority (and the cached target p1.svc) unreachable for a while from now.
      for (int s : {0, 2}) state.unreachable[static_cast<std::size_t>(s)].push_back({state.now_s, state.now_s + 120 * u(rng)});
      break;
    }
    case 7: {
      if (state.overrides.empty()) state.overrides.push_back({4, 2, 3, world::ActionIndex{0}});  // p3.svc: p1.svc -> p2.svc
      else state.overrides.clear();
      break;
    }
    case 8: {
      // The authority unreachable from one client region only (a partition).
      auto& outages = state.unreachable_from[index(state.unreachable_from.size())][0];
      outages.push_back({state.now_s, state.now_s + 300 * u(rng)});
      break;
    }
    // Users coming back to p4.svc: at most about 4x its capacity returning.
    case 9: state.services[5].queue.waiting = 1e8 * u(rng); break;
    default: state.services[2].queue.queued = 1000 * u(rng); break;  // p1.svc's queue
  }
  // Time always moves, by a little or a lot: TTLs expire by time alone.
  state.now_s += index(2) == 0 ? 1.0 : 60.0 * u(rng);
  (void)world;
}

/// What a site-by-site evaluation gives: every site's own dependency list
/// evaluated against the services, totals summed in site order.
Availability site_by_site(const World& world, const WorldState& state) {
  Availability a;
  a.service = evaluate_services(world, state);
  const double demand = demand_factor(world, state.now_s);
  double served = 0;
  for (const auto& site : world.sites) {
    const double v = dependencies_availability(world, state, a.service, site.dependencies);
    a.site.push_back(v);
    a.offered_rps += site.rps * demand;
    served += site.rps * demand * v;
    if (v < world.site_down_below) ++a.sites_down;
  }
  a.failed_rps = a.offered_rps - served;
  a.global = a.offered_rps > 0 ? served / a.offered_rps : 1.0;
  return a;
}

void expect_same(const Availability& a, const Availability& b, int step) {
  EXPECT_EQ(a.service, b.service) << "step " << step;
  EXPECT_EQ(a.site, b.site) << "step " << step;
  EXPECT_EQ(a.global, b.global) << "step " << step;
  EXPECT_EQ(a.offered_rps, b.offered_rps) << "step " << step;
  EXPECT_EQ(a.failed_rps, b.failed_rps) << "step " << step;
  EXPECT_EQ(a.sites_down, b.sites_down) << "step " << step;
}

TEST(SiteClasses, GroupExactlyTheSitesWithTheSameSignature) {
  std::string text = providers;
  text += R"(sites:
  - {name: a, rps: 1k rps, depends_on: [{target: p0.svc}]}
  - {name: same-as-a, rps: 7k rps, depends_on: [{target: p0.svc}]}
  - {name: share, rps: 1k rps, depends_on: [{target: p0.svc, share: 50%}]}
  - {name: soft, rps: 1k rps, depends_on: [{kind: soft, target: p0.svc}]}
  - {name: k1, rps: 1k rps, depends_on: [{kind: k_of_n, targets: [p0.svc, p1.svc], k: 1}]}
  - {name: k2, rps: 1k rps, depends_on: [{kind: k_of_n, targets: [p0.svc, p1.svc], k: 2}]}
  - {name: swapped, rps: 1k rps, depends_on: [{kind: k_of_n, targets: [p1.svc, p0.svc], k: 1}]}
  - {name: ttl2, rps: 1k rps, depends_on: [{kind: cached, target: p1.svc, ttl: 2m}]}
  - {name: ttl3, rps: 1k rps, depends_on: [{kind: cached, target: p1.svc, ttl: 3m}]}
  - {name: stale, rps: 1k rps, depends_on: [{kind: cached, target: p1.svc, ttl: 2m, serve_stale: 1m}]}
  - {name: r0, rps: 1k rps, depends_on: [{kind: cached, record: dns.r0}]}
  - {name: r1, rps: 1k rps, depends_on: [{kind: cached, record: dns.r1}]}
  - {name: same-as-k1, rps: 2k rps, depends_on: [{kind: k_of_n, targets: [p0.svc, p1.svc], k: 1}]}
  - {name: two, rps: 1k rps, depends_on: [{target: p0.svc}, {target: p1.svc}]}
  - {name: two-swapped, rps: 1k rps, depends_on: [{target: p1.svc}, {target: p0.svc}]}
  - {name: same-as-r0, rps: 1k rps, depends_on: [{kind: cached, record: dns.r0}]}
)";
  const World world = build(scenario::load_from_string(text, "classes.yaml"));
  ASSERT_EQ(world.site_class.size(), world.sites.size());
  // Sites 1, 12 and 15 repeat sites 0, 4 and 10; the other 13 are all different.
  EXPECT_EQ(world.site_classes.size(), 13u);
  for (std::size_t a = 0; a < world.sites.size(); ++a)
    for (std::size_t b = 0; b < world.sites.size(); ++b) {
      const bool same_list = world.sites[a].dependencies == world.sites[b].dependencies;
      EXPECT_EQ(world.site_class[a] == world.site_class[b], same_list) << world.sites[a].name << " / " << world.sites[b].name;
    }
  EXPECT_EQ(world.site_class[1], world.site_class[0]);
  EXPECT_EQ(world.site_class[12], world.site_class[4]);
  EXPECT_EQ(world.site_class[15], world.site_class[10]);
  // A class lists its members in site order; classes come in the order of their first site.
  EXPECT_EQ(world.site_classes[0].sites, (std::vector<int>{0, 1}));
  EXPECT_EQ(world.site_classes[static_cast<std::size_t>(world.site_class[4])].sites, (std::vector<int>{4, 12}));
  for (std::size_t c = 1; c < world.site_classes.size(); ++c)
    EXPECT_LT(world.site_classes[c - 1].sites.front(), world.site_classes[c].sites.front());
}

TEST(SiteClasses, AGeneratedPopulationHasOneClassPerMixEntry) {
  std::string text = providers;
  const std::string diurnal = "  diurnal: {peak_to_trough: 3, peak_hour: 20}\n";
  text.insert(text.find(diurnal) + diurnal.size(), R"(  population:
    sites: 1000
    total_rps: 1M rps
    mix:
      - {name: one, share: 50%, depends_on: [{target: p0.svc}]}
      - {name: two, share: 30%, depends_on: [{kind: cached, record: dns.r0}]}
      - {name: three, share: 20%, depends_on: [{target: p2.svc}, {target: p3.svc}]}
)");
  const World world = build(scenario::load_from_string(text, "population.yaml"));
  ASSERT_EQ(world.sites.size(), 1000u);
  ASSERT_EQ(world.site_classes.size(), 3u);
  EXPECT_EQ(world.site_classes[0].sites.size(), 500u);
  EXPECT_EQ(world.site_classes[1].sites.size(), 300u);
  EXPECT_EQ(world.site_classes[2].sites.size(), 200u);
}

TEST(SiteClasses, EvaluatingClassesEqualsEvaluatingEverySite) {
  std::mt19937 rng(20261127);
  int partial = 0;  // samples where some site is neither fully up nor fully down
  for (int w = 0; w < 5; ++w) {
    const World world = random_world(rng, 200);
    EXPECT_LT(world.site_classes.size(), templates.size() + 1);
    WorldState state = WorldState::initial(world);
    for (int step = 0; step < 60; ++step) {
      change(world, state, rng);
      const Availability a = evaluate(world, state);
      expect_same(a, site_by_site(world, state), step);
      partial += std::any_of(a.site.begin(), a.site.end(), [](double v) { return v > 0 && v < 1; }) ? 1 : 0;
    }
  }
  EXPECT_GT(partial, 100);  // the random states do exercise the dependency rules
}

TEST(SiteClasses, IncrementalEvaluationEqualsAFullOneAfterEveryChange) {
  std::mt19937 rng(7);
  int skipped = 0;  // calls that left some class as it was
  for (int w = 0; w < 5; ++w) {
    const World world = random_world(rng, 150);
    WorldState state = WorldState::initial(world);
    Evaluator evaluator(world);
    for (int step = 0; step < 300; ++step) {
      change(world, state, rng);
      const Availability& incremental = evaluator.evaluate(state);
      skipped += evaluator.work().classes < static_cast<int>(world.site_classes.size()) ? 1 : 0;
      const Availability full = evaluate(world, state);
      expect_same(incremental, full, step);
      EXPECT_EQ(incremental.site_class, full.site_class) << "step " << step;
      EXPECT_EQ(evaluator.needs(), dependency_availability(world, state)) << "step " << step;
    }
  }
  EXPECT_GT(skipped, 300);  // the incremental path is taken, not only full evaluations
}

TEST(SiteClasses, TimeAloneMovesACachedDependency) {
  // One site through dns.r0 (TTL 1 minute): the record turns empty at
  // t = 100 s; clients refresh uniformly over the TTL, so at 130 s half of
  // them hold the empty answer, and from 160 s on all of them do.
  std::string text = providers;
  text += "sites: [{name: r0, rps: 1k rps, depends_on: [{kind: cached, record: dns.r0}]}]\n";
  const World world = build(scenario::load_from_string(text, "ttl.yaml"));
  WorldState state = WorldState::initial(world);
  Evaluator evaluator(world);
  state.now_s = 100;
  state.records[0].answer = -1;
  state.records[0].history.push_back({100, -1});
  EXPECT_EQ(evaluator.evaluate(state).site[0], 1.0);
  state.now_s = 130;
  EXPECT_DOUBLE_EQ(evaluator.evaluate(state).site[0], 0.5);
  EXPECT_EQ(evaluator.work().classes, 1);
  state.now_s = 160;
  EXPECT_EQ(evaluator.evaluate(state).site[0], 0.0);
  state.now_s = 200;  // nothing moves any more: the class is not re-evaluated
  EXPECT_EQ(evaluator.evaluate(state).site[0], 0.0);
  EXPECT_EQ(evaluator.work().classes, 0);
}

TEST(SiteClasses, UsersWaitingToComeBackAreWatched) {
  // Nothing but the users waiting to come back to p4.svc changes: its
  // queue inputs are the same, and it must still be evaluated again.
  std::string text = providers;
  text += "sites: [{name: a, rps: 1k rps, depends_on: [{target: p4.svc}]}]\n";
  const World world = build(scenario::load_from_string(text, "waiting.yaml"));
  WorldState state = WorldState::initial(world);
  state.now_s = 100;
  Evaluator evaluator(world);
  EXPECT_EQ(evaluator.evaluate(state).site[0], 1.0);
  state.services[5].queue.waiting = 1e8;  // about 330k rps coming back, 4x p4.svc's capacity
  const double expected = evaluate(world, state).site[0];
  EXPECT_LT(expected, 0.5);
  EXPECT_EQ(evaluator.evaluate(state).site[0], expected);
  EXPECT_EQ(evaluator.work().services, 1);
}

TEST(SiteClasses, OnlyTheClassesReadingAChangedServiceAreReEvaluated) {
  std::string text = providers;
  text += R"(sites:
  - {name: a, rps: 1k rps, depends_on: [{target: p0.svc}]}
  - {name: b, rps: 1k rps, depends_on: [{target: p0.svc}]}
  - {name: c, rps: 1k rps, depends_on: [{target: p3.svc}]}
  - {name: d, rps: 1k rps, depends_on: [{target: p2.svc}]}
)";
  const World world = build(scenario::load_from_string(text, "graph.yaml"));
  ASSERT_EQ(world.site_classes.size(), 3u);
  WorldState state = WorldState::initial(world);
  state.now_s = 3600;
  Evaluator evaluator(world);
  evaluator.evaluate(state);
  EXPECT_EQ(evaluator.work().classes, 3);  // the first call evaluates everything
  EXPECT_EQ(evaluator.work().services, static_cast<int>(world.services.size()));

  evaluator.evaluate(state);  // nothing changed, not even the time
  EXPECT_EQ(evaluator.work().services, 0);
  EXPECT_EQ(evaluator.work().classes, 0);
  EXPECT_FALSE(evaluator.work().sites);

  // One of p3.svc's (index 4) two instances fails every request: only
  // p3.svc's queue model runs, and only class {c} reads it.
  state.instances[static_cast<std::size_t>(world.services[4].instances[0])].error_rate = 1;
  const Availability& a = evaluator.evaluate(state);
  EXPECT_EQ(evaluator.work().services, 1);
  EXPECT_EQ(evaluator.work().classes, 1);
  EXPECT_TRUE(evaluator.work().sites);
  EXPECT_EQ(a.site[2], 0.5);
  EXPECT_EQ(a.site[0], 1.0);
  EXPECT_EQ(a.sites_down, 1);  // below the default 90%

  // p0.svc (index 1) fails: p2.svc depends on it, so classes {a, b} and {d}
  // move; p3.svc needs p0.svc only softly and does not.
  for (int i : world.services[1].instances) state.instances[static_cast<std::size_t>(i)].error_rate = 1;
  evaluator.evaluate(state);
  EXPECT_EQ(evaluator.work().classes, 2);
  EXPECT_EQ(evaluator.evaluate(state).sites_down, 4);
}

TEST(SiteClasses, DemandAloneRecomputesTheTotalsOnly) {
  // With a diurnal curve the offered rate moves with time while no class does.
  std::string text = providers;
  text += "sites: [{name: a, rps: 1k rps, depends_on: [{target: p0.svc}]}]\n";
  const World world = build(scenario::load_from_string(text, "demand.yaml"));
  WorldState state = WorldState::initial(world);
  Evaluator evaluator(world);
  const double before = evaluator.evaluate(state).offered_rps;
  state.now_s = 6 * 3600;
  const Availability& a = evaluator.evaluate(state);
  EXPECT_EQ(evaluator.work().classes, 0);
  EXPECT_TRUE(evaluator.work().sites);
  EXPECT_EQ(a.offered_rps, 1000 * demand_factor(world, state.now_s));
  EXPECT_NE(a.offered_rps, before);
}

}  // namespace
}  // namespace outagesim::world
