// Rollout policy per operator action (scenarios/examples/operator-staged-revert.yaml,
// docs/models/config-distribution.md): a revert with a rollout of its own
// goes out in the waves it declares, at its pace, while the channel keeps its
// policy. Expectations follow from the scenario's numbers.
#include "cli_runner.hpp"
#include "models/rollout_plan.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// Samples this close to an event's time may fall on either side of it.
constexpr double boundary_s = 1e-6;

/// The rollout_wave events of the channel's version `version`, in order.
std::vector<nlohmann::json> waves_of(const std::vector<nlohmann::json>& events, const std::string& version) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e["kind"] == "rollout_wave" && e["version"] == version) out.push_back(e);
  return out;
}

TEST(ActionRollout, AStagedRevertRestoresTheFleetInItsOwnWavesAtItsPace) {
  const auto s = scenario::load(example("operator-staged-revert"));
  const auto w = world::build(s);
  const auto dir = run_example("operator-staged-revert");
  const auto events = read_events(dir);
  const auto& revert = w.actions.at(0);
  ASSERT_TRUE(revert.rollout.has_value());
  const auto& policy = *revert.rollout;
  ASSERT_EQ(w.channels.at(0).rollout.kind, scenario::RolloutKind::global) << "the channel's own policy is global";
  const auto n = w.instances.size();
  const double error_rate = std::get<scenario::faults::BadConfigPush>(w.faults.at(0).kind).effects.at(0).error_rate;

  // The bad version goes out by the channel's policy: one wave, everyone.
  const auto bad = waves_of(events, "cdn.rules@v1");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]["share"], 1.0);

  // The revert's version, in the action's waves, each bake after the last.
  std::vector<double> fractions;
  for (const auto& wave : policy.waves) fractions.push_back(wave.fraction);
  const auto ends = models::wave_ends(fractions, n);
  const auto good = waves_of(events, "cdn.rules@v2");
  ASSERT_EQ(good.size(), policy.waves.size());
  double at = *revert.at_s;
  std::vector<std::pair<double, double>> reached;  // (time, share on the good version)
  for (std::size_t k = 0; k < good.size(); ++k) {
    EXPECT_NEAR(good[k]["t"].get<double>(), at, 1e-6) << "wave " << k;
    EXPECT_EQ(good[k]["wave"], static_cast<int>(k));
    EXPECT_NEAR(good[k]["share"].get<double>(), static_cast<double>(ends[k]) / static_cast<double>(n), 1e-12);
    reached.emplace_back(at, static_cast<double>(ends[k]) / static_cast<double>(n));
    at += policy.waves[k].bake_s;
  }

  // Between waves, the share still on the bad version fails at its error rate.
  const Series global = read_series(dir, "global", "", "availability");
  const double settle = w.channels.at(0).apply_delay_s + 1;  // transfer and apply
  for (std::size_t k = 0; k < reached.size(); ++k) {
    const double from = reached[k].first + settle;
    const double to = k + 1 < reached.size() ? reached[k + 1].first : s.duration_s;
    const auto values = inside(global, from, to - boundary_s);
    ASSERT_FALSE(values.empty()) << "wave " << k;
    for (double v : values) EXPECT_NEAR(v, 1 - error_rate * (1 - reached[k].second), 1e-9) << "wave " << k;
  }
  // The fault is over once the last wave has applied.
  const auto m = read_json(dir / "summary.json")["metrics"];
  const double recovered = m["faults"]["bad-rules"]["recovered_at"];
  EXPECT_GE(recovered, reached.back().first);
  EXPECT_LT(recovered, reached.back().first + settle);
}

TEST(ActionRollout, AKillSwitchWithARolloutGoesOutInItsWavesToo) {
  // The same numbers with a kill switch: it stops the channel, then its
  // version follows the action's waves rather than going out at once.
  const auto dir = run_example("operator-staged-revert", "--set 'operators[0].actions[0].do=kill_switch'");
  const auto w = world::build(scenario::load(example("operator-staged-revert")));
  const auto good = waves_of(read_events(dir), "cdn.rules@v2");
  ASSERT_EQ(good.size(), w.actions.at(0).rollout->waves.size());
  EXPECT_NEAR(good.back()["t"].get<double>() - good.front()["t"].get<double>(),
              w.actions.at(0).rollout->waves[0].bake_s + w.actions.at(0).rollout->waves[1].bake_s, 1e-6);
}

TEST(ActionRollout, AGlobalRolloutOnTheActionSendsItsVersionToEveryoneAtOnce) {
  const auto dir = run_example("operator-staged-revert", "--set 'operators[0].actions[0].rollout=global'");
  const auto good = waves_of(read_events(dir), "cdn.rules@v2");
  ASSERT_EQ(good.size(), 1u);
  EXPECT_EQ(good[0]["share"], 1.0);
}

}  // namespace
}  // namespace outagesim
