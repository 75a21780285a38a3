// The designs' properties: a grid covers the product of the levels, a Latin
// hypercube has one sample per stratum per dimension, a Morris trajectory
// moves one factor at a time, distributions respect their truncation, and
// run seeds follow the documented hash.
#include "sim/experiment/design.hpp"
#include "sim/experiment/plan.hpp"
#include "sim/experiment/seeds.hpp"
#include "sim/scenario/sweep_loader.hpp"
#include "sim/scenario/sweep_quantity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace outagesim::experiment {
namespace {

scenario::SweepParameter list(std::string path, std::vector<std::string> values) {
  scenario::SweepParameter p;
  p.path = std::move(path);
  p.values = std::move(values);
  return p;
}

scenario::SweepParameter distribution(std::string path, scenario::ParameterDistribution kind, std::string min,
                                      std::string max) {
  scenario::SweepParameter p;
  p.path = std::move(path);
  p.dist = kind;
  p.min = std::move(min);
  p.max = std::move(max);
  return p;
}

double number(const std::string& text) { return scenario::split_quantity(text)->number; }

TEST(Design, AGridCoversTheProductOfTheLevelsOnce) {
  scenario::SweepParameter range;
  range.path = "b";
  range.from = "1m";
  range.to = "3m";
  range.step = "1m";
  std::vector<Factor> factors{Factor(list("a", {"global", "staged"})), Factor(range)};
  EXPECT_EQ(factors[1].levels(), (std::vector<std::string>{"1m", "2m", "3m"}));
  const Design d = grid_design(factors);
  ASSERT_EQ(d.points.size(), 6u);
  std::set<std::vector<std::string>> distinct(d.points.begin(), d.points.end());
  EXPECT_EQ(distinct.size(), 6u);
  EXPECT_EQ(d.points.front(), (std::vector<std::string>{"global", "1m"}));
  EXPECT_EQ(d.points.back(), (std::vector<std::string>{"staged", "3m"}));
}

TEST(Design, AGridWithoutParametersIsOnePoint) {
  const Design d = grid_design({});
  ASSERT_EQ(d.points.size(), 1u);
  EXPECT_TRUE(d.points[0].empty());
}

TEST(Design, ALatinHypercubeHasOneSamplePerStratumPerDimension) {
  std::vector<Factor> factors;
  for (const char* path : {"a", "b", "c"})
    factors.emplace_back(distribution(path, scenario::ParameterDistribution::uniform, "0", "1"));
  for (int n : {1, 7, 50}) {
    const Design d = latin_hypercube_design(factors, n, 3);
    ASSERT_EQ(d.unit.size(), static_cast<std::size_t>(n));
    for (std::size_t j = 0; j < factors.size(); ++j) {
      std::vector<int> per_stratum(static_cast<std::size_t>(n), 0);
      for (const auto& u : d.unit) ++per_stratum[static_cast<std::size_t>(u[j] * n)];
      EXPECT_TRUE(std::all_of(per_stratum.begin(), per_stratum.end(), [](int c) { return c == 1; })) << "n=" << n;
    }
  }
}

TEST(Design, DesignsAreAFunctionOfTheSeed) {
  std::vector<Factor> factors{Factor(distribution("a", scenario::ParameterDistribution::uniform, "0", "1"))};
  EXPECT_EQ(random_design(factors, 5, 1).points, random_design(factors, 5, 1).points);
  EXPECT_NE(random_design(factors, 5, 1).points, random_design(factors, 5, 2).points);
  EXPECT_EQ(latin_hypercube_design(factors, 5, 9).points, latin_hypercube_design(factors, 5, 9).points);
}

TEST(Design, AMorrisTrajectoryMovesOneFactorAtATimeByDelta) {
  std::vector<Factor> factors;
  for (const char* path : {"a", "b", "c", "d"})
    factors.emplace_back(distribution(path, scenario::ParameterDistribution::uniform, "0", "1"));
  const int r = 6, p = 4;
  const Design d = morris_design(factors, r, p, 11);
  ASSERT_EQ(d.points.size(), static_cast<std::size_t>(r) * (factors.size() + 1));
  ASSERT_EQ(d.morris_steps.size(), static_cast<std::size_t>(r) * factors.size());
  const double delta = p / (2.0 * (p - 1));
  for (const auto& step : d.morris_steps) {
    EXPECT_EQ(step.to, step.from + 1);
    EXPECT_NEAR(std::fabs(step.delta), delta, 1e-12);
    for (std::size_t j = 0; j < factors.size(); ++j) {
      const double moved = d.unit[step.to][j] - d.unit[step.from][j];
      if (j == step.factor) {
        // On the unit scale, levels are 1/p apart: delta (p - 1) / p.
        EXPECT_NEAR(moved, step.delta * (p - 1) / p, 1e-12);
      } else {
        EXPECT_EQ(moved, 0.0);
      }
    }
  }
  // Within a trajectory every factor moves exactly once.
  for (int t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 0; s < factors.size(); ++s) moved.insert(d.morris_steps[t * factors.size() + s].factor);
    EXPECT_EQ(moved.size(), factors.size());
  }
}

TEST(Design, DistributionsStayInsideTheirSupportAndTruncation) {
  scenario::SweepParameter normal;
  normal.path = "n";
  normal.dist = scenario::ParameterDistribution::normal;
  normal.mean = "50%";
  normal.sd = "30%";
  normal.min = "40%";
  normal.max = "70%";
  scenario::SweepParameter tri;
  tri.path = "t";
  tri.dist = scenario::ParameterDistribution::triangular;
  tri.min = "1s";
  tri.mode = "2s";
  tri.max = "10s";
  std::vector<Factor> factors{Factor(normal), Factor(tri),
                              Factor(distribution("l", scenario::ParameterDistribution::log_uniform, "1ms", "10000ms"))};
  const Design d = random_design(factors, 2000, 5);
  double below_mean = 0;
  for (const auto& point : d.points) {
    EXPECT_TRUE(point[0].ends_with("%")) << point[0];
    EXPECT_GE(number(point[0]), 40);
    EXPECT_LE(number(point[0]), 70);
    EXPECT_GE(number(point[1]), 1);
    EXPECT_LE(number(point[1]), 10);
    EXPECT_TRUE(point[2].ends_with("ms")) << point[2];
    EXPECT_GE(number(point[2]), 1);
    EXPECT_LE(number(point[2]), 10000);
    if (number(point[0]) < 50) ++below_mean;
  }
  // Truncated to [40, 70] around 50 with sd 30: P(x < 50 | 40..70) = 0.1306/0.3781 = 0.345.
  EXPECT_NEAR(below_mean / 2000, 0.345, 0.04);
  EXPECT_EQ(factors[1].value_at(0.0), "1s");
  EXPECT_EQ(factors[1].value_at(1.0), "10s");
  // Log-uniform: the median is the geometric mean of the bounds, 100 ms.
  EXPECT_EQ(factors[2].value_at(0.5), "100ms");
}

TEST(Design, NormalQuantileInvertsTheCdf) {
  for (double p : {1e-9, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999})
    EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-14 + p * 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
}

TEST(Seeds, RunSeedsFollowTheDocumentedHash) {
  // splitmix64(0) is the published first output of SplitMix64 seeded with 0.
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafull);
  const std::uint64_t h = splitmix64(splitmix64(splitmix64(42) ^ 3) ^ 1) & ((1ull << 53) - 1);
  EXPECT_EQ(run_seed(42, 3, 1), h);
  std::set<std::uint64_t> seeds;
  for (std::size_t point = 0; point < 100; ++point)
    for (std::size_t r = 0; r < 100; ++r) seeds.insert(run_seed(1, point, r));
  EXPECT_EQ(seeds.size(), 10000u);
}

TEST(Plan, RunsArePointMajorWithTheirValuesAndSeeds) {
  scenario::SweepSpec spec = scenario::load_sweep_from_string(
      "name: s\nbase: b.yaml\nseed: 5\nreplications: 3\nparameters:\n  - {path: params.x, values: [1, 2]}\n"
      "metrics: [{name: a, summary: availability_min}]\n",
      "s.yaml");
  const Sweep sweep = make_sweep(spec);
  const auto runs = plan(sweep);
  ASSERT_EQ(runs.size(), 6u);
  for (std::size_t id = 0; id < runs.size(); ++id) {
    EXPECT_EQ(runs[id].id, id);
    EXPECT_EQ(runs[id].point, id / 3);
    EXPECT_EQ(runs[id].replication, id % 3);
    EXPECT_EQ(runs[id].seed, run_seed(5, id / 3, id % 3));
    ASSERT_EQ(runs[id].values.size(), 1u);
    EXPECT_EQ(runs[id].values[0].first, "params.x");
    EXPECT_EQ(runs[id].values[0].second, id < 3 ? "1" : "2");
  }
}

TEST(SweepQuantity, NumbersAreWrittenBackWithTheirSuffix) {
  EXPECT_EQ(scenario::join_quantity(2.5, "m"), "2.5m");
  EXPECT_EQ(scenario::join_quantity(100, "k rps"), "100k rps");
  EXPECT_EQ(scenario::join_quantity(0.123456789, "%"), "0.123457%");
  EXPECT_EQ(scenario::join_quantity(1234567.8, ""), "1234568");
  auto split = scenario::split_quantity("100k rps");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->number, 100);
  EXPECT_EQ(split->suffix, "k rps");
  EXPECT_FALSE(scenario::split_quantity("staged"));
}

}  // namespace
}  // namespace outagesim::experiment
