#include "models/config_reaction.hpp"
#include "models/dependency_availability.hpp"
#include "models/instance_pool.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(SiteAvailability, HardDependenciesMultiplySoftOnesDoNot) {
  std::vector<DependencyState> deps{{DependencyStrength::hard, 0.5},
                                    {DependencyStrength::hard, 0.8},
                                    {DependencyStrength::soft, 0.0}};
  EXPECT_DOUBLE_EQ(site_availability(deps), 0.4);
  EXPECT_DOUBLE_EQ(site_availability({}), 1.0);
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

}  // namespace
}  // namespace outagesim::models
