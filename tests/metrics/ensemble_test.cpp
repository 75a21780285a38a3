#include "sim/metrics/ensemble_report.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

TEST(EnsembleSpread, QuantilesInterpolateBetweenTheRunsAtEachTick) {
  const std::vector<double> a{5, 0}, b{1, 0}, c{4, 1}, d{2, 1}, e{3, 1};
  const Spread s = spread_of({&a, &b, &c, &d, &e});
  ASSERT_EQ(s.median.size(), 2u);
  EXPECT_DOUBLE_EQ(s.min[0], 1);
  EXPECT_DOUBLE_EQ(s.p10[0], 1.4);  // (5 - 1) * 0.1 = 0.4 of the way from 1 to 2
  EXPECT_DOUBLE_EQ(s.median[0], 3);
  EXPECT_DOUBLE_EQ(s.p90[0], 4.6);
  EXPECT_DOUBLE_EQ(s.max[0], 5);
  EXPECT_DOUBLE_EQ(s.median[1], 1);
  EXPECT_DOUBLE_EQ(s.p10[1], 0);
}

TEST(EnsembleSpread, TheBandsAreNestedAroundTheMedian) {
  std::vector<std::vector<double>> runs;
  for (int r = 0; r < 7; ++r) {
    runs.emplace_back();
    for (int k = 0; k < 50; ++k) runs.back().push_back(std::fmod((r * 37 + k * 11) % 17 / 17.0 + r * 0.01, 1.0));
  }
  std::vector<const std::vector<double>*> values;
  for (const auto& r : runs) values.push_back(&r);
  const Spread s = spread_of(values);
  for (std::size_t k = 0; k < 50; ++k) {
    EXPECT_LE(s.min[k], s.p10[k]);
    EXPECT_LE(s.p10[k], s.median[k]);
    EXPECT_LE(s.median[k], s.p90[k]);
    EXPECT_LE(s.p90[k], s.max[k]);
  }
}

LoadedRun run(const std::string& scenario, std::vector<double> t, std::vector<double> v) {
  LoadedRun r;
  r.dir = "runs/" + scenario + "-" + std::to_string(t.size());
  r.scenario = scenario;
  r.availability = {std::move(t), std::move(v)};
  return r;
}

TEST(Ensemble, RefusesFewerThanTwoRunsOtherScenariosAndOtherTicks) {
  EXPECT_THROW(ensemble_of({run("a", {0, 10}, {1, 1})}), RunDirectoryError);
  EXPECT_THROW(ensemble_of({run("a", {0, 10}, {1, 1}), run("b", {0, 10}, {1, 1})}), RunDirectoryError);
  EXPECT_THROW(ensemble_of({run("a", {0, 10}, {1, 1}), run("a", {0, 10, 20}, {1, 1, 1})}), RunDirectoryError);
  const Ensemble e = ensemble_of({run("a", {0, 10}, {1, 0.5}), run("a", {0, 10}, {1, 0.7})});
  ASSERT_EQ(e.series.size(), 1u);
  EXPECT_DOUBLE_EQ(e.series[0].spread.median[1], 0.6);
  const std::string html = render_ensemble_html(e);
  EXPECT_NE(html.find("<svg id=\"chart-ensemble-availability\""), std::string::npos);
  EXPECT_NE(html.find("class=\"band\" data-label=\"10th to 90th percentile\""), std::string::npos);
  EXPECT_NE(html.find("class=\"band\" data-label=\"lowest to highest\""), std::string::npos);
}

}  // namespace
}  // namespace outagesim::metrics
