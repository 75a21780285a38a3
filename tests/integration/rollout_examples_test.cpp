// The rollout, topology, generator, last-known-good and operator-model
// examples, each run through the CLI and checked against what its numbers imply.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

world::World world_of(const std::string& name) { return world::build(scenario::load(example(name))); }

/// Instances that ever applied a version carried by a fault.
std::set<std::string> ever_bad(const std::vector<nlohmann::json>& events) {
  std::set<std::string> bad_versions, instances;
  for (const auto& e : events)
    if (e["kind"] == "config_published" && e["bad"] == true) bad_versions.insert(e["version"].get<std::string>());
  for (const auto& e : events)
    if (e["kind"] == "config_applied" && bad_versions.contains(e["version"].get<std::string>()))
      instances.insert(e["entity"].get<std::string>());
  return instances;
}

TEST(StagedRollout, HealthGateHaltsAtTheFirstWave) {
  const auto w = world_of("rollout-staged-health-gate");
  const auto dir = run_example("rollout-staged-health-gate");
  const auto events = read_events(dir);
  const double n = static_cast<double>(w.instances.size());
  const double first_wave = std::ceil(w.channels[0].rollout.waves[0].fraction * n - 1e-9);
  EXPECT_EQ(static_cast<double>(ever_bad(events).size()), first_wave);
  int halted = 0, waves = 0;
  for (const auto& e : events) {
    halted += e["kind"] == "rollout_halted" && e["by"] == "health_gate" && e["rolled_back"] == false;
    waves += e["kind"] == "rollout_wave" && e["version"] == "cdn.rules@v1";
  }
  EXPECT_EQ(halted, 1);
  EXPECT_EQ(waves, 1);  // the second wave never started
  auto m = read_json(dir / "summary.json")["metrics"];
  EXPECT_NEAR(m["availability_min"].get<double>(), 1 - first_wave / n, 1e-12);
  EXPECT_TRUE(m["channels"]["cdn.rules"]["reach_t50"].is_null());  // never half the fleet
}

TEST(StagedRollout, RollbackHealsTheCanariesWithoutAnOperator) {
  const auto w = world_of("rollout-staged-rollback");
  const auto dir = run_example("rollout-staged-rollback");
  auto m = read_json(dir / "summary.json")["metrics"];
  const double n = static_cast<double>(w.instances.size());
  EXPECT_NEAR(m["availability_min"].get<double>(), 1 - std::ceil(0.05 * n - 1e-9) / n, 1e-12);
  double tripped = -1;
  for (const auto& e : read_events(dir))
    if (e["kind"] == "rollout_halted") tripped = e["t"];
  ASSERT_GT(tripped, w.faults[0].at_s);
  // Tripped at the first check after the canaries failed; healed seconds later.
  EXPECT_LE(tripped, w.faults[0].at_s + 2 * w.resolution_s);
  const double recovered = m["faults"]["bad-rules"]["recovered_at"];
  EXPECT_GT(recovered, tripped);
  EXPECT_LT(recovered, tripped + 5);
  EXPECT_TRUE(m["impact_end"].is_number());
}

TEST(Topology, TreeRelaysFasterThanAThinUplinkBroadcasts) {
  const auto tree = read_json(run_example("topology-tree") / "summary.json")["metrics"]["channels"]["cdn.rules"];
  const auto broadcast =
      read_json(run_example("topology-tree", "--set providers.cdn.channels.rules.topology=broadcast") / "summary.json")
          ["metrics"]["channels"]["cdn.rules"];
  const double tree_t95 = tree["reach_t95"], broadcast_t95 = broadcast["reach_t95"];
  // 85 copies of 10 MB through 12.5 MB/s: the broadcast needs over a minute.
  EXPECT_GT(broadcast_t95, 0.95 * 85 * 10e6 / 12.5e6 * 0.9);
  EXPECT_LT(tree_t95 * 5, broadcast_t95);
}

TEST(Topology, TreeReachesEveryConsumerOnce) {
  const auto w = world_of("topology-tree");
  const auto events = read_events(run_example("topology-tree"));
  std::map<std::string, int> applied;
  for (const auto& e : events)
    if (e["kind"] == "config_applied" && e["version"] == "cdn.rules@v1") ++applied[e["entity"].get<std::string>()];
  EXPECT_EQ(applied.size(), w.instances.size());
  for (const auto& [instance, count] : applied) EXPECT_EQ(count, 1) << instance;
}

TEST(Topology, PullSpreadsAPushOverOnePeriod) {
  const auto w = world_of("topology-pull");
  const double period = w.channels[0].topology.period_s;
  const auto m = read_json(run_example("topology-pull") / "summary.json")["metrics"];
  const double t50 = m["channels"]["cdn.rules"]["reach_t50"], t95 = m["channels"]["cdn.rules"]["reach_t95"];
  EXPECT_GT(t50, 0.25 * period);
  EXPECT_LT(t50, 0.75 * period);
  EXPECT_GT(t95, 0.75 * period);
  EXPECT_LT(t95, period + 5);
}

TEST(Generator, FlapsWhileTheMigrationIsPartialThenStaysFailed) {
  const auto dir = run_example("generator-flapping");
  const auto series = read_series(dir, "global", "", "availability");
  ASSERT_FALSE(series.empty());
  int alternations = 0;
  bool failing = false;
  for (const auto& [t, a] : series) {
    const bool now_failing = a < 1;
    if (now_failing != failing) ++alternations;
    failing = now_failing;
  }
  EXPECT_TRUE(failing) << "stays failed once every node is migrated";
  EXPECT_GE(alternations, 3) << "fail, recover, fail... (odd count: ends failed)";
  EXPECT_EQ(alternations % 2, 1);
  // Every bad file carries the permissions change as its cause.
  for (const auto& e : read_events(dir)) {
    if (e["kind"] != "config_published" || e["bad"] != true) continue;
    EXPECT_EQ(e["cause"], "fault:permissions-change");
  }
}

TEST(LastKnownGood, RejectsTheBadFileAndNeverFails) {
  const auto w = world_of("last-known-good");
  const auto dir = run_example("last-known-good");
  EXPECT_DOUBLE_EQ(read_json(dir / "summary.json")["metrics"]["availability_min"].get<double>(), 1.0);
  int fl2 = 0;
  for (const auto& i : w.instances) fl2 += i.variant == 1;
  int rejected = 0;
  for (const auto& e : read_events(dir)) rejected += e["kind"] == "config_rejected";
  EXPECT_EQ(rejected, fl2);
}

TEST(OperatorModel, DetectsDiagnosesAndKillsTheSwitch) {
  const auto w = world_of("operator-detection");
  const auto dir = run_example("operator-detection");
  auto m = read_json(dir / "summary.json")["metrics"];
  const double impact_start = m["impact_start"];
  double detected = -1, diagnosed = -1;
  for (const auto& e : read_events(dir)) {
    if (e["kind"] == "operator_detected") detected = e["t"];
    if (e["kind"] == "operator_diagnosed") diagnosed = e["t"];
  }
  const auto& rule = w.operators[0].detection[0];
  // Errors cross 5% at the first tick after the push applies; the rule needs
  // 2 minutes beyond the threshold, then the report takes 1 minute.
  EXPECT_NEAR(detected, impact_start + rule.for_s + rule.reporting_delay_s, w.resolution_s);
  EXPECT_NEAR(diagnosed - detected, w.operators[0].diagnosis_s, 1e-9);
  EXPECT_DOUBLE_EQ(m["faults"]["killswitch-bug"]["detected_at"].get<double>(), detected);
  EXPECT_DOUBLE_EQ(m["faults"]["killswitch-bug"]["mitigated_at"].get<double>(), diagnosed);
  EXPECT_GT(m["impact_end"].get<double>(), diagnosed);
  EXPECT_LT(m["impact_end"].get<double>(), diagnosed + 2 * w.resolution_s);
}

TEST(Segments, AnEffectOnOneSegmentFailsItsShareOfTheVariant) {
  const auto w = world_of("segment-effect");
  const auto dir = run_example("segment-effect");
  const auto m = read_json(dir / "summary.json")["metrics"];
  const auto& service = w.services[0];
  double fl1 = 0;
  for (int i : service.instances) fl1 += w.instances[static_cast<std::size_t>(i)].variant == 0;
  const double fl1_share = fl1 / static_cast<double>(service.instances.size());
  const double expected = 1 - fl1_share * service.segments[0].share;
  EXPECT_NEAR(m["availability_min"].get<double>(), expected, 1e-12);
  EXPECT_TRUE(m["impact_end"].is_number());

  // The segment's own series: only fl1's share of it fails, and its failed
  // rate is that share of the segment's traffic.
  const auto segment = read_series(dir, "segment", "cdn.proxy/managed-ruleset", "availability");
  const auto failed = read_series(dir, "segment", "cdn.proxy/managed-ruleset", "failed_rps");
  ASSERT_FALSE(segment.empty());
  ASSERT_EQ(segment.size(), failed.size());
  double lowest = 1;
  for (std::size_t k = 0; k < segment.size(); ++k) {
    lowest = std::min(lowest, segment[k].second);
    EXPECT_NEAR(failed[k].second, service.offered_rps * service.segments[0].share * (1 - segment[k].second), 1e-6);
  }
  EXPECT_NEAR(lowest, 1 - fl1_share, 1e-12);
  EXPECT_DOUBLE_EQ(segment.front().second, 1.0);
  EXPECT_DOUBLE_EQ(segment.back().second, 1.0);
}

TEST(Manifest, RecordsTheResolvedParameters) {
  const auto manifest = read_json(run_example("templated-cdn", "--set params.bad_share=30% --set params.good_share=70%") /
                                  "manifest.json");
  EXPECT_EQ(manifest["params"]["bad_share"], "30%");
  EXPECT_EQ(manifest["params"]["revert_after"], "25m");
  EXPECT_EQ(manifest["overrides"].size(), 2u);
}

TEST(Examples, SameSeedSameEvents) {
  for (const char* name : {"generator-flapping", "topology-pull", "operator-detection"})
    EXPECT_EQ(slurp(run_example(name) / "events.jsonl"), slurp(run_example(name) / "events.jsonl")) << name;
}

}  // namespace
}  // namespace outagesim
