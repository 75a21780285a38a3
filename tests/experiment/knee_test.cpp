// The knee of a mitigation curve (sim/experiment/knee.hpp): where a curve
// has covered the most of its change ahead of the straight line.
#include "sim/experiment/knee.hpp"

#include <gtest/gtest.h>

namespace outagesim::experiment {
namespace {

TEST(Knee, AStraightLineHasNone) {
  EXPECT_FALSE(knee_of({0, 1, 2, 3}, {9, 6, 3, 0}));
  EXPECT_FALSE(knee_of({0, 1, 2, 3}, {0, 1, 2, 3}));
}

TEST(Knee, AFlatCurveOrTooFewSamplesHaveNone) {
  EXPECT_FALSE(knee_of({0, 1, 2}, {5, 5, 5}));
  EXPECT_FALSE(knee_of({0, 1}, {5, 0}));
  EXPECT_FALSE(knee_of({0, 0, 0}, {5, 1, 0}));  // x does not increase
}

TEST(Knee, ALossThatStopsFallingKneesWhereItStops) {
  // Blast radius of a 30-minute DNS outage against the names' TTL (min):
  // falling to nothing at 30, flat after.
  const auto knee = knee_of({1, 10, 30, 60}, {29, 20, 0, 0});
  ASSERT_TRUE(knee);
  EXPECT_EQ(knee->index, 2u);
  EXPECT_NEAR(knee->distance, 1.0 - 29.0 / 59.0, 1e-12);
}

TEST(Knee, ARisingCurveThatSaturatesKneesToo) {
  const auto knee = knee_of({0, 1, 2, 3, 4}, {0, 8, 9, 9.5, 10});
  ASSERT_TRUE(knee);
  EXPECT_EQ(knee->index, 1u);
}

TEST(Knee, ACurveThatGoesUpAndDownOrHugsTheLineHasNone) {
  EXPECT_FALSE(knee_of({0, 1, 2, 3}, {4.0, 3.7, 3.9, 3.8}));
  // 6% ahead of the line at most: rounding, not a knee.
  EXPECT_FALSE(knee_of({0, 1, 2, 3, 4}, {100, 72, 44, 19, 0}));
  EXPECT_TRUE(knee_of({0, 1, 2, 3, 4}, {100, 72, 44, 19, 0}, 0.05));
}

TEST(Knee, AChangeThatComesLateIsNoKnee) {
  // Redundancy that only pays at full adoption: every point is behind the line.
  EXPECT_FALSE(knee_of({0, 1, 2, 3}, {10, 10, 9, 0}));
}

}  // namespace
}  // namespace outagesim::experiment
