#include "models/load_balancer.hpp"

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

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
  // Without a check-only rate a probe is one request.
  EXPECT_EQ(probe_failure_probability({false, 0, 0}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({true, 0, 10}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({true, 0, 9.9}, 10), 0.0);
  EXPECT_EQ(probe_failure_probability({true, 0.4, 0}, 10), 0.4);
}

TEST(ProbeFailure, AFailingCheckAndAFailingRequestAreIndependentDraws) {
  EXPECT_EQ(probe_failure_probability({true, 0, 0, 0.5}, 10), 0.5);
  EXPECT_NEAR(probe_failure_probability({true, 0.4, 0, 0.5}, 10), 1 - 0.6 * 0.5, 1e-12);
  EXPECT_EQ(probe_failure_probability({true, 0, 0, 1.0}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({false, 0, 0, 0.5}, 10), 1.0);
  EXPECT_EQ(probe_failure_probability({true, 0, 10, 0.5}, 10), 1.0);
}

// Properties over a grid of both rates: a probe fails more often as either
// grows, never less than either alone, never more than their sum, and the
// check-only rate leaves the view's request error rate untouched.
TEST(ProbeFailureProperty, GrowsWithEachRateAndIsBoundedByThem) {
  const std::vector<double> rates{0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.99, 1};
  for (double e : rates)
    for (std::size_t h = 0; h < rates.size(); ++h) {
      const ProbeView view{true, e, 0, rates[h]};
      const double p = probe_failure_probability(view, 10);
      EXPECT_GE(p, std::max(e, rates[h]) - 1e-12) << e << " " << rates[h];
      EXPECT_LE(p, std::min(1.0, e + rates[h]) + 1e-12) << e << " " << rates[h];
      EXPECT_EQ(view.error_rate, e) << "the check-only rate is not a request error rate";
      if (h + 1 < rates.size()) {
        EXPECT_LE(p, probe_failure_probability({true, e, 0, rates[h + 1]}, 10)) << e << " " << rates[h];
      }
      for (double more : rates)
        if (more > e) {
          EXPECT_LE(p, probe_failure_probability({true, more, 0, rates[h]}, 10)) << e << " " << rates[h];
        }
    }
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

TEST(Route, DisabledFailoverWithdrawsNoZoneButKeepsUnhealthyTargetsOut) {
  // Zone 0: 1 of 2 healthy (50%), below 90%: withdrawn while failover is on.
  const std::vector<RoutedTarget> t{{0, false}, {0, true}, {1, true}};
  ASSERT_EQ(route(t, 2, 0.9, true).zone_withdrawn, (std::vector<bool>{true, false}));
  const Routing r = route(t, 2, 0.9, false);
  EXPECT_EQ(r.zone_withdrawn, (std::vector<bool>{false, false}));
  EXPECT_EQ(r.in_service, (std::vector<bool>{false, true, true}));  // the target checks still decide
  EXPECT_FALSE(r.failed_open);
}

TEST(Route, DisabledFailoverStillFailsOpenWhenNoTargetIsHealthy) {
  const std::vector<RoutedTarget> t{{0, false}, {1, false}};
  const Routing r = route(t, 2, 0.5, false);
  EXPECT_TRUE(r.failed_open);
  EXPECT_EQ(r.in_service, (std::vector<bool>{true, true}));
}

/// Every load balancer of 1 to 3 zones of 1 to 3 targets each, with every
/// assignment of health: the property tests below hold for all of them.
std::vector<std::pair<int, std::vector<RoutedTarget>>> every_small_balancer() {
  std::vector<std::pair<int, std::vector<RoutedTarget>>> out;
  for (int zones = 1; zones <= 3; ++zones) {
    int shapes = 1;
    for (int z = 0; z < zones; ++z) shapes *= 3;
    for (int shape = 0; shape < shapes; ++shape) {
      std::vector<int> zone_of;
      for (int z = 0, rest = shape; z < zones; ++z, rest /= 3)
        for (int k = 0; k <= rest % 3; ++k) zone_of.push_back(z);
      for (unsigned health = 0; health < (1u << zone_of.size()); ++health) {
        std::vector<RoutedTarget> targets;
        for (std::size_t i = 0; i < zone_of.size(); ++i) targets.push_back({zone_of[i], ((health >> i) & 1u) != 0});
        out.emplace_back(zones, std::move(targets));
      }
    }
  }
  return out;
}

constexpr double minimums[] = {0, 0.25, 0.5, 0.75, 0.8, 1};

TEST(RouteProperty, WithFailoverDisabledNoZoneIsWithdrawn) {
  for (const auto& [zones, targets] : every_small_balancer())
    for (double minimum : minimums) {
      const Routing r = route(targets, zones, minimum, false);
      EXPECT_EQ(r.zone_withdrawn, std::vector<bool>(static_cast<std::size_t>(zones), false));
    }
}

TEST(RouteProperty, DisablingFailoverNeverTakesATargetThatGetsTrafficOutOfService) {
  // Unless the balancer had failed open: then the unhealthy targets it sent
  // traffic to for want of any other go out again, once a healthy one is back.
  int compared = 0;
  for (const auto& [zones, targets] : every_small_balancer())
    for (double minimum : minimums) {
      const Routing on = route(targets, zones, minimum, true);
      const Routing off = route(targets, zones, minimum, false);
      for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].healthy) {
          EXPECT_TRUE(off.in_service[i]) << "a healthy target always gets traffic";
        }
        if (on.failed_open || !on.in_service[i]) continue;
        EXPECT_TRUE(off.in_service[i]);
        ++compared;
      }
    }
  EXPECT_GT(compared, 1000);
}

TEST(RouteProperty, FailOpenHoldsExactlyWhenNoTargetIsHealthy) {
  for (const auto& [zones, targets] : every_small_balancer()) {
    const bool none_healthy =
        std::none_of(targets.begin(), targets.end(), [](const RoutedTarget& t) { return t.healthy; });
    for (double minimum : minimums) {
      const Routing off = route(targets, zones, minimum, false);
      EXPECT_EQ(off.failed_open, none_healthy);
      for (std::size_t i = 0; i < targets.size(); ++i) EXPECT_EQ(off.in_service[i], targets[i].healthy || none_healthy);
      // With failover on, nothing healthy still fails open.
      if (none_healthy) {
        EXPECT_TRUE(route(targets, zones, minimum, true).failed_open);
      }
    }
  }
}

TEST(RouteProperty, ZoneFailoverOffAtZeroIsTheSameAsDisabled) {
  for (const auto& [zones, targets] : every_small_balancer()) {
    const Routing on = route(targets, zones, 0, true);
    const Routing off = route(targets, zones, 0, false);
    EXPECT_EQ(on.in_service, off.in_service);
    EXPECT_EQ(on.zone_withdrawn, off.zone_withdrawn);
    EXPECT_EQ(on.failed_open, off.failed_open);
  }
}

TEST(RouteProperty, AHigherMinimumNeverPutsMoreTargetsInService) {
  // More zone failover removes capacity, never adds it (before failing open).
  for (const auto& [zones, targets] : every_small_balancer())
    for (std::size_t m = 1; m < std::size(minimums); ++m) {
      const Routing lower = route(targets, zones, minimums[m - 1], true);
      const Routing higher = route(targets, zones, minimums[m], true);
      if (higher.failed_open) continue;
      for (std::size_t i = 0; i < targets.size(); ++i)
        if (higher.in_service[i]) {
          EXPECT_TRUE(lower.in_service[i]);
        }
    }
}

}  // namespace
}  // namespace outagesim::models
