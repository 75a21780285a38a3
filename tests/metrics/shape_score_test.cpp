// Shape scoring against a published series (docs/published-series.md): a
// series with the published shape scores every feature; one shifted in
// time, or flattened, scores worse, feature by feature.
#include "sim/metrics/shape_score.hpp"
#include "sim/scenario/published_series.hpp"

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

// Run starts at 10:00 (epoch of 2025-01-01T10:00:00Z); 30 s samples for 4 h.
constexpr double start = 1735725600;

const char* const spec = R"(incident: example
series:
  - id: errors
    title: Errors
    source_url: https://example.invalid/postmortem
    compares_with: {scope: site, entity: web, metric: availability, as: failed_share}
    unit: share
    failing: {above: 1%}
    tolerance: {time: 10m, value: 5%}
    points:
      - at: 2025-01-01T10:00:00Z
        until: 2025-01-01T10:20:00Z
        at_most: 1%
        basis: input
        reading: "text: normal before 10:20"
      - at: 2025-01-01T10:20:00Z
        at_least: 1%
        feature: onset
        basis: input
        reading: "text: errors from 10:20"
      - at: 2025-01-01T11:30:00Z
        until: 2025-01-01T12:30:00Z
        value: 60%
        feature: plateau
        basis: input
        reading: "text: 60%"
      - at: 2025-01-01T12:30:00Z
        at_most: 1%
        feature: end
        basis: input
        reading: "text: over at 12:30"
    oscillations: {at_least: 2, cycle: 5m, cycle_tolerance: 1m, basis: input, reading: "text: flapped every 5 min"}
)";

const scenario::PublishedSeries& published() {
  static const auto file = scenario::load_published_series_from_string(spec, "spec.yaml");
  return file.series.front();
}

std::vector<double> times() {
  std::vector<double> t;
  for (double s = 0; s <= 4 * 3600; s += 30) t.push_back(s);
  return t;
}

/// Availability: flapping in 5-minute stretches from 10:20 to 11:00, 40%
/// (60% failing) from 11:00 to 12:30, then 100%.
std::vector<double> published_shape(double shift_s = 0) {
  std::vector<double> a;
  for (double s : times()) {
    const double m = (s - shift_s) / 60;  // minutes after 10:00
    double v = 1;
    if (m >= 20 && m < 60) v = static_cast<int>((m - 20) / 5) % 2 == 0 ? 0.4 : 1;  // fail, recover, ...
    else if (m >= 60 && m < 150) v = 0.4;
    a.push_back(v);
  }
  return a;
}

int within(const std::vector<double>& availability) {
  return score_series(published(), start, times(), availability).features_within();
}

TEST(ShapeScore, ThePublishedShapeScoresEveryFeature) {
  const auto score = score_series(published(), start, times(), published_shape());
  ASSERT_EQ(score.features.size(), 5u);  // onset, recoveries, period, plateau, end
  for (const auto& f : score.features) EXPECT_TRUE(f.pass) << f.name << ": " << f.simulated;
  EXPECT_EQ(score.points_within(), 4);
  EXPECT_EQ(score.features[1].simulated, "4");  // recoveries at 10:25, 10:35, 10:45 and 10:55
}

TEST(ShapeScore, AShiftedSeriesMissesItsOnsetAndEnd) {
  const auto score = score_series(published(), start, times(), published_shape(30 * 60));
  EXPECT_FALSE(score.features[0].pass) << score.features[0].simulated;  // onset
  EXPECT_FALSE(score.features[4].pass) << score.features[4].simulated;  // end
  EXPECT_TRUE(score.features[2].pass) << "the cycle is the same, only later";
  EXPECT_LT(score.features_within(), within(published_shape()));
  EXPECT_LT(score.points_within(), 4);
}

TEST(ShapeScore, AFlattenedSeriesMissesItsOscillations) {
  // No flapping: failing at 40% availability straight from 10:20 to 12:30.
  std::vector<double> flat = published_shape();
  const auto t = times();
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k] >= 20 * 60 && t[k] < 150 * 60) flat[k] = 0.4;
  const auto score = score_series(published(), start, t, flat);
  EXPECT_TRUE(score.features[0].pass);
  EXPECT_FALSE(score.features[1].pass) << "no recoveries before settling";
  EXPECT_FALSE(score.features[2].pass) << score.features[2].simulated;
  EXPECT_EQ(score.features[2].simulated, "no flapping");
  EXPECT_LT(score.features_within(), within(published_shape()));
}

TEST(ShapeScore, AFlattenedLevelMissesThePlateau) {
  // The same timing at a tenth of the failing share: the level is off.
  std::vector<double> low = published_shape();
  for (double& v : low) v = v < 1 ? 0.94 : 1;
  const auto score = score_series(published(), start, times(), low);
  EXPECT_FALSE(score.features[3].pass) << score.features[3].simulated;
  EXPECT_EQ(score.features[3].simulated, "6%");
  EXPECT_LT(score.features_within(), within(published_shape()));
}

TEST(ShapeScore, FlappingOffTheCycleMissesThePeriod) {
  // Stretches of 7.5 minutes: not whole 5-minute cycles.
  std::vector<double> off = published_shape();
  const auto t = times();
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double m = t[k] / 60;
    if (m >= 20 && m < 60) off[k] = static_cast<int>((m - 20) / 7.5) % 2 == 0 ? 0.4 : 1;
  }
  const auto score = score_series(published(), start, t, off);
  EXPECT_FALSE(score.features[2].pass) << score.features[2].simulated;
  EXPECT_TRUE(score.features[1].pass);
}

TEST(ShapeScore, StillFailingAtTheRunsEndHasNoEnd) {
  std::vector<double> never = published_shape();
  const auto t = times();
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k] >= 150 * 60) never[k] = 0.4;
  const auto score = score_series(published(), start, t, never);
  EXPECT_FALSE(score.features[4].pass);
  EXPECT_EQ(score.features[4].simulated, "still failing at the run's end");
}

}  // namespace
}  // namespace outagesim::metrics
