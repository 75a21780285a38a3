// Regressions of the traffic model found in review (issue #12), through the
// CLI on tests/data/traffic/scale-while-overloaded.yaml: a queue overloaded
// from the start, half its instances crashed at +2m, its capacity scaled by
// 2% at +15m. What must hold follows from the scenario's own numbers.
#include "cli_runner.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

constexpr double crash_at = 120, scale_at = 900;
constexpr double max_wait = 10;
constexpr double full_capacity = 100 * 100e3, after_crash = 50 * 100e3, scale = 1.02;
constexpr double tolerance = 1e-9;

fs::path run_scenario(const std::string& name, const std::string& extra_args = "") {
  const fs::path dir = fresh_dir(name);
  const Outcome o = outagesim(fmt::format("run '{}/tests/data/traffic/scale-while-overloaded.yaml' --out '{}' {}",
                                          OUTAGESIM_SOURCE_DIR, dir.string(), extra_args));
  if (o.exit_code != 0) throw std::runtime_error("outagesim run failed: " + o.err);
  return dir;
}

double value_at(const Series& series, double t) {
  for (const auto& [at, v] : series)
    if (at == t) return v;
  throw std::runtime_error(fmt::format("no sample at {} s", t));
}

TEST(QueueRegression, ScalingAnOverloadedQueueNeverMakesItWorse) {
  const fs::path dir = run_scenario("scale-while-overloaded");
  const Series availability = read_series(dir, "global", "", "availability");
  const Series wait = read_series(dir, "service", "shop.api", "queue_wait_s");
  ASSERT_FALSE(availability.empty());

  // Overloaded before the scale (the retries hold it there)...
  const double before = value_at(availability, scale_at - 10);
  EXPECT_LT(before, 0.5);
  // ...and never worse after it: 2% more capacity, 2% more served.
  for (const auto& [t, v] : availability) {
    if (t >= scale_at) {
      EXPECT_GE(v, before - tolerance) << "at " << t << " s";
    }
  }
  EXPECT_GE(availability.back().second, before * scale - tolerance);
  for (const auto& [t, v] : wait) EXPECT_LE(v, max_wait + tolerance) << "at " << t << " s";
}

TEST(QueueRegression, GoodputNeverExceedsTheCapacity) {
  const fs::path dir = run_scenario("goodput-within-capacity");
  const Series goodput = read_series(dir, "service", "shop.api", "goodput_rps");
  const Series offered = read_series(dir, "service", "shop.api", "offered_rps");
  ASSERT_FALSE(goodput.empty());
  for (const auto& [t, v] : goodput) {
    const double capacity = t < crash_at ? full_capacity : t < scale_at ? after_crash : after_crash * scale;
    EXPECT_LE(v, capacity * (1 + tolerance)) << "at " << t << " s";
  }
  // The site offers more than the capacity from the start: it is served,
  // not counted as it arrives.
  EXPECT_GT(value_at(offered, 0), full_capacity);
}

TEST(QueueRegression, SamplesAtEveryStepSeeTheStateAfterTheirStep) {
  // The queue fills for its first ~40 s (2.6M rps more than the capacity):
  // sampled at every traffic step, every sample must show a longer wait
  // than the one before; a sample that saw the state before its step
  // repeated the previous one.
  const fs::path every_step = run_scenario("every-step", "--set output.resolution=1s");
  const Series wait = read_series(every_step, "service", "shop.api", "queue_wait_s");
  ASSERT_GT(wait.size(), 30U);
  for (std::size_t k = 1; k <= 30; ++k)
    EXPECT_GT(wait[k].second, wait[k - 1].second) << "at " << wait[k].first << " s";

  // A sample sees the same state at its instant whatever the resolution.
  const fs::path every_ten = run_scenario("every-ten-steps");
  const Series coarse = read_series(every_ten, "service", "shop.api", "queue_wait_s");
  for (const auto& [t, v] : coarse) EXPECT_DOUBLE_EQ(v, value_at(wait, t)) << "at " << t << " s";
}

}  // namespace
}  // namespace outagesim
