#include "models/load_balancer.hpp"

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(TargetHealth, TurnsUnhealthyAfterUnhealthyThresholdConsecutiveFailures) {
  TargetHealth t;
  const HealthThresholds nlb{5, 2};
  EXPECT_FALSE(t.record(false, nlb));
  EXPECT_FALSE(t.record(true, nlb));  // a pass resets the streak
  EXPECT_FALSE(t.record(false, nlb));
  EXPECT_TRUE(t.healthy());
  EXPECT_TRUE(t.record(false, nlb));
  EXPECT_FALSE(t.healthy());
}

TEST(TargetHealth, TurnsHealthyAfterHealthyThresholdConsecutivePasses) {
  TargetHealth t;
  const HealthThresholds nlb{5, 2};
  t.record(false, nlb);
  t.record(false, nlb);
  ASSERT_FALSE(t.healthy());
  for (int k = 0; k < 4; ++k) EXPECT_FALSE(t.record(true, nlb));
  EXPECT_FALSE(t.record(false, nlb));  // the fourth pass was not enough; the streak starts again
  for (int k = 0; k < 4; ++k) EXPECT_FALSE(t.record(true, nlb));
  EXPECT_TRUE(t.record(true, nlb));
  EXPECT_TRUE(t.healthy());
}

TEST(ProbeFailure, DownOrTooSlowAlwaysFailsElseTheErrorRate) {
  EXPECT_EQ(probe_failure_probability({false, 0, 0}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({true, 0, 10}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({true, 0, 9.9}, 10), 0.0);
  EXPECT_EQ(probe_failure_probability({true, 0.4, 0}, 10), 0.4);
}

TEST(Route, UnhealthyTargetsAreOutAndHealthyOnesIn) {
  const std::vector<RoutedTarget> t{{0, true}, {0, false}, {1, true}};
  const Routing r = route(t, 2, 0, true);
  EXPECT_EQ(r.in_service, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(r.zone_withdrawn, (std::vector<bool>{false, false}));
  EXPECT_FALSE(r.failed_open);
}

TEST(Route, AZoneBelowItsMinimumHealthyShareIsWithdrawnWithItsHealthyTargets) {
  // Zone 0: 3 of 4 healthy (75%) is below 80%: all four are out, the three healthy ones too.
  const std::vector<RoutedTarget> t{{0, true}, {0, true}, {0, true}, {0, false}, {1, true}, {1, true}};
  const Routing r = route(t, 2, 0.8, true);
  EXPECT_EQ(r.in_service, (std::vector<bool>{false, false, false, false, true, true}));
  EXPECT_EQ(r.zone_withdrawn, (std::vector<bool>{true, false}));
  // At exactly the minimum the zone stays.
  const Routing at = route(t, 2, 0.75, true);
  EXPECT_EQ(at.zone_withdrawn, (std::vector<bool>{false, false}));
  EXPECT_EQ(at.in_service, (std::vector<bool>{true, true, true, false, true, true}));
}

TEST(Route, NothingLeftFailsOpen) {
  const std::vector<RoutedTarget> t{{0, false}, {1, true}, {1, false}};
  const Routing r = route(t, 2, 0.9, true);  // both zones below 90%
  EXPECT_TRUE(r.failed_open);
  EXPECT_EQ(r.in_service, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(r.zone_withdrawn, (std::vector<bool>{false, false}));
}

TEST(Route, DisabledFailoverKeepsEveryTargetInService) {
  const std::vector<RoutedTarget> t{{0, false}, {0, true}, {1, true}};
  const Routing r = route(t, 2, 0.9, false);
  EXPECT_EQ(r.in_service, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(r.zone_withdrawn, (std::vector<bool>{false, false}));
  EXPECT_FALSE(r.failed_open);
}

}  // namespace
}  // namespace outagesim::models
