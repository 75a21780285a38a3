#include "models/config_reaction.hpp"
#include "models/dependency_availability.hpp"
#include "models/instance_pool.hpp"
#include "models/rng.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(SiteAvailability, HardDependenciesMultiplySoftOnesDoNot) {
  const std::vector<double> half{0.5}, most{0.8}, none{0.0};
  std::vector<DependencyState> deps{{DependencyRule::hard, half, 1, 1.0},
                                    {DependencyRule::hard, most, 1, 1.0},
                                    {DependencyRule::soft, none, 1, 1.0}};
  EXPECT_DOUBLE_EQ(site_availability(deps), 0.4);
  EXPECT_DOUBLE_EQ(site_availability({}), 1.0);
}

TEST(SiteAvailability, RedundancyAndTrafficShares) {
  const std::vector<double> two{0.0, 0.9};
  // any_of: fails only if both fail.
  EXPECT_DOUBLE_EQ(dependency_availability({DependencyRule::any_of, two, 1, 1.0}), 0.9);
  const std::vector<double> three{0.9, 0.9, 0.9};
  // 2 of 3 at 0.9: 0.9^3 + 3 * 0.9^2 * 0.1 = 0.972.
  EXPECT_NEAR(dependency_availability({DependencyRule::k_of_n, three, 2, 1.0}), 0.972, 1e-12);
  EXPECT_NEAR(at_least_k_working(three, 3), 0.729, 1e-12);
  EXPECT_DOUBLE_EQ(at_least_k_working(three, 4), 0.0);
  EXPECT_DOUBLE_EQ(at_least_k_working(three, 0), 1.0);
  // A dependency needed by 28% of the requests, fully down, fails 28% of them.
  const std::vector<double> down{0.0};
  EXPECT_DOUBLE_EQ(dependency_availability({DependencyRule::hard, down, 1, 0.28}), 0.72);
}

TEST(PoolAvailability, IsCapacityWeighted) {
  std::vector<InstanceLoad> pool{{100, 1.0}, {300, 0.0}};
  EXPECT_DOUBLE_EQ(pool_availability(pool), 0.75);
  EXPECT_DOUBLE_EQ(pool_availability({}), 0.0);
}

TEST(ConfigReaction, PerVariantAndClamped) {
  std::vector<double> reactions{0.0, 1.0, 2.5};
  EXPECT_DOUBLE_EQ(error_rate_after_apply(reactions, 0), 0.0);
  EXPECT_DOUBLE_EQ(error_rate_after_apply(reactions, 1), 1.0);
  EXPECT_DOUBLE_EQ(error_rate_after_apply(reactions, 2), 1.0);
  EXPECT_DOUBLE_EQ(error_rate_after_apply(reactions, 3), 0.0);  // not listed: unaffected
  EXPECT_DOUBLE_EQ(error_rate_after_apply({}, 0), 0.0);
}

TEST(Rng, KeyedStreamsAreReproducibleAndIndependent) {
  Rng a(42, "faults[0].at"), b(42, "faults[0].at"), c(42, "faults[1].at"), d(43, "faults[0].at");
  const auto first = a.next();
  EXPECT_EQ(first, b.next());
  EXPECT_NE(first, c.next());
  EXPECT_NE(first, d.next());
  double sum = 0;
  Rng u(1, "uniform");
  for (int i = 0; i < 100000; ++i) {
    double x = u.uniform();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.01);
}

}  // namespace
}  // namespace outagesim::models
