// The statistics of summary.csv and sensitivity.csv against values computed by hand.
#include "sim/experiment/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace outagesim::experiment {
namespace {

TEST(Statistics, SummaryOfFiveValues) {
  // 2, 4, 4, 5, 10: mean 5, squares of deviations 9 + 1 + 1 + 0 + 25 = 36, sd = sqrt(36 / 4) = 3;
  // t(0.975, 4) = 2.776445, half width 2.776445 * 3 / sqrt(5) = 3.724992.
  const Summary s = summarise({10, 4, 2, 5, 4});
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  ASSERT_TRUE(s.sd);
  EXPECT_DOUBLE_EQ(*s.sd, 3);
  EXPECT_NEAR(*s.ci95_low, 5 - 3.724992, 1e-6);
  EXPECT_NEAR(*s.ci95_high, 5 + 3.724992, 1e-6);
  // Type 7: h = 4p; q05 = 2 + 0.2 (4 - 2) = 2.4; q50 = 4; q95 = 5 + 0.8 (10 - 5) = 9.
  EXPECT_DOUBLE_EQ(s.q05, 2.4);
  EXPECT_DOUBLE_EQ(s.q50, 4);
  EXPECT_DOUBLE_EQ(s.q95, 9);
}

TEST(Statistics, OneValueHasNoSpreadAndEqualValuesAreExact) {
  const Summary one = summarise({3.5});
  EXPECT_DOUBLE_EQ(one.mean, 3.5);
  EXPECT_FALSE(one.sd);
  EXPECT_FALSE(one.ci95_low);
  const Summary same = summarise(std::vector<double>(100, 0.72));
  EXPECT_EQ(same.mean, 0.72);
  EXPECT_EQ(*same.sd, 0.0);
}

TEST(Statistics, StudentTQuantiles) {
  EXPECT_NEAR(student_t_975(1), 12.7062, 1e-4);
  EXPECT_NEAR(student_t_975(9), 2.2622, 1e-4);
  EXPECT_NEAR(student_t_975(30), 2.0423, 1e-4);
  EXPECT_NEAR(student_t_975(40), 2.0211, 1e-4);
  EXPECT_NEAR(student_t_975(120), 1.9799, 1e-4);
  EXPECT_NEAR(student_t_975(100000), 1.95996, 1e-4);
}

TEST(Statistics, SpearmanRankCorrelation) {
  // Monotone but not linear: rho = 1.
  EXPECT_DOUBLE_EQ(*spearman({1, 2, 3, 4}, {1, 8, 27, 64}), 1);
  EXPECT_DOUBLE_EQ(*spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1);
  // Ranks x 1..5, y ranks 2 1 4 3 5: sum d^2 = 1 + 1 + 1 + 1 + 0 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8.
  EXPECT_NEAR(*spearman({1, 2, 3, 4, 5}, {20, 10, 40, 30, 50}), 0.8, 1e-12);
  // Ties take the average rank: x ranks 1.5 1.5 3, y 1 2 3: rho = 0.866025 (Pearson on ranks).
  EXPECT_NEAR(*spearman({1, 1, 2}, {1, 2, 3}), std::sqrt(3.0) / 2, 1e-12);
  EXPECT_FALSE(spearman({1, 1, 1}, {1, 2, 3}));
  EXPECT_FALSE(spearman({1, 2}, {1, 2}));
}

TEST(Statistics, MorrisMeasures) {
  // Effects 2, -2, 4: mu* = 8/3, mu = 4/3, sigma = sqrt(((2/3)^2 + (10/3)^2 + (8/3)^2) / 2) = sqrt(28/3).
  const MorrisMeasures m = morris_measures({2, -2, 4});
  EXPECT_EQ(m.effects, 3u);
  EXPECT_NEAR(m.mu_star, 8.0 / 3, 1e-12);
  EXPECT_NEAR(m.mu, 4.0 / 3, 1e-12);
  EXPECT_NEAR(*m.sigma, std::sqrt(28.0 / 3), 1e-12);
}

}  // namespace
}  // namespace outagesim::experiment
