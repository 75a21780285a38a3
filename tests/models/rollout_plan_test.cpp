#include "models/rollout_plan.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(RolloutPlan, OrderIsAPermutationFixedBySeedAndKey) {
  Rng a(7, "rollout-order:cdn.rules"), b(7, "rollout-order:cdn.rules"), c(8, "rollout-order:cdn.rules");
  auto order = rollout_order(40, a);
  EXPECT_EQ(order, rollout_order(40, b));
  EXPECT_NE(order, rollout_order(40, c));
  std::set<int> unique(order.begin(), order.end());
  EXPECT_EQ(unique.size(), 40u);
  EXPECT_EQ(*unique.begin(), 0);
  EXPECT_EQ(*unique.rbegin(), 39);
}

TEST(RolloutPlan, WavesRoundUpAndEndWithEveryone) {
  const std::vector<double> fractions{0.05, 0.25, 1.0};
  EXPECT_EQ(wave_ends(fractions, 40), (std::vector<std::size_t>{2, 10, 40}));
  EXPECT_EQ(wave_ends(fractions, 3), (std::vector<std::size_t>{1, 1, 3}));  // a 5% canary is at least one
  const std::vector<double> tenths{0.1, 0.2, 0.3, 1.0};
  EXPECT_EQ(wave_ends(tenths, 10), (std::vector<std::size_t>{1, 2, 3, 10}));
  EXPECT_TRUE(wave_ends(fractions, 0) == (std::vector<std::size_t>{0, 0, 0}));
}

TEST(RolloutPlan, TreeCoversEveryPositionExactlyOnce) {
  const std::size_t n = 85, fanout = 4;
  std::vector<int> fed(n, 0);
  for (std::size_t p = 0; p < fanout; ++p) ++fed[p];  // the publisher feeds the first level
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t child : tree_children(p, fanout, n)) ++fed[child];
  EXPECT_TRUE(std::all_of(fed.begin(), fed.end(), [](int f) { return f == 1; }));
  EXPECT_EQ(tree_children(0, 4, 85), (std::vector<std::size_t>{4, 5, 6, 7}));
  EXPECT_TRUE(tree_children(30, 4, 85).empty());
}

TEST(RolloutPlan, GateWatchesTheUpdatedConsumers) {
  const std::vector<double> two_of_four_failing{1.0, 0.0, 1.0, 0.0};
  EXPECT_DOUBLE_EQ(updated_error_rate(two_of_four_failing), 0.5);
  EXPECT_DOUBLE_EQ(updated_error_rate({}), 0.0);
  EXPECT_TRUE(gate_trips(0.5, 0.05));
  EXPECT_FALSE(gate_trips(0.05, 0.05));  // at the threshold: not beyond it
}

}  // namespace
}  // namespace outagesim::models
