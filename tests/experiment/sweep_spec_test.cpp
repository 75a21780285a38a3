// The sweep spec loader: what it accepts, and every mistake reported at
// file:line:column with what was expected.
#include "sim/scenario/sweep_loader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace outagesim::scenario {
namespace {

std::vector<Diagnostic> errors_of(const std::string& text) {
  try {
    load_sweep_from_string(text, "spec.yaml");
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

constexpr const char* valid = R"(name: s
base: ../incidents/cloudflare-2025-12-05.yaml
seed: 7
design: {kind: latin_hypercube, n: 10}
replications: 3
parameters:
  - {path: params.fl1_share, values: [30%, 50%]}
  - {path: "operators[0].detection[0].for", from: 1m, to: 5m, step: 1m}
  - {path: params.managed_ruleset_share, dist: normal, mean: 50%, sd: 10%, min: 20%, max: 80%}
metrics:
  - {name: availability_min, summary: availability_min}
  - {name: down_at, scope: global, metric: availability, derive: first_below, threshold: 0.99}
timeout: 30s
memory_limit: 1GB
)";

TEST(SweepSpec, AValidSpecLoadsWithItsValues) {
  const SweepSpec s = load_sweep_from_string(valid, "spec.yaml");
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.design.kind, DesignKind::latin_hypercube);
  EXPECT_EQ(s.design.n, 10);
  EXPECT_EQ(s.replications, 3);
  ASSERT_EQ(s.parameters.size(), 3u);
  EXPECT_EQ(s.parameters[1].step, "1m");
  EXPECT_EQ(s.parameters[2].dist, ParameterDistribution::normal);
  ASSERT_EQ(s.metrics.size(), 2u);
  EXPECT_EQ(s.metrics[1].derive, SeriesDerivation::first_below);
  EXPECT_DOUBLE_EQ(s.timeout_s, 30);
  EXPECT_DOUBLE_EQ(s.memory_limit_B, 1e9);
}

TEST(SweepSpec, AnUnknownKeyIsReportedAtItsLineAndColumnWithASuggestion) {
  auto errors = errors_of("name: s\nbase: b.yaml\nreplicatons: 3\nmetrics: [{name: a, summary: availability_min}]\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "spec.yaml");
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_EQ(errors[0].column, 1);
  EXPECT_NE(errors[0].message.find("did you mean 'replications'"), std::string::npos) << errors[0].message;
}

TEST(SweepSpec, EveryMistakeIsReportedWithItsLocation) {
  auto errors = errors_of(R"(name: s
base: b.yaml
design: {kind: morris, trajectories: 1, levels: 3}
parameters:
  - {path: a, values: [1], from: 1, to: 2, step: 1}
  - {path: b, from: 1m, to: 5s, step: 1m}
  - {path: c, dist: uniform, min: 5, max: 1}
  - {path: d, dist: triangular, min: 1s, mode: 2m, max: 3s}
  - {path: a, dist: normal, mean: 1}
metrics:
  - {name: m, summary: availability_min, scope: global}
  - {name: m, scope: site, metric: availability, derive: minimum}
)");
  std::vector<std::string> found;
  for (const auto& d : errors) found.push_back(d.to_string());
  auto has = [&](int line, const std::string& text) {
    for (const auto& d : errors)
      if (d.line == line && d.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(3, "trajectories: 2 or more")) << testing::PrintToString(found);
  EXPECT_TRUE(has(3, "even number of levels")) << testing::PrintToString(found);
  EXPECT_TRUE(has(5, "exactly one of values")) << testing::PrintToString(found);
  EXPECT_TRUE(has(6, "different units")) << testing::PrintToString(found);
  EXPECT_TRUE(has(7, "min < max")) << testing::PrintToString(found);
  EXPECT_TRUE(has(8, "different units")) << testing::PrintToString(found);
  EXPECT_TRUE(has(9, "'a' is varied twice")) << testing::PrintToString(found);
  EXPECT_TRUE(has(9, "needs mean and sd")) << testing::PrintToString(found);
  EXPECT_TRUE(has(11, "either summary")) << testing::PrintToString(found);
  EXPECT_TRUE(has(12, "used twice")) << testing::PrintToString(found);
  EXPECT_TRUE(has(12, "needs an entity")) << testing::PrintToString(found);
}

TEST(SweepSpec, AGridRefusesADistribution) {
  auto errors = errors_of("name: s\nbase: b.yaml\nparameters:\n  - {path: a, dist: uniform, min: 1, max: 2}\n"
                          "metrics: [{name: a, summary: availability_min}]\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 4);
  EXPECT_NE(errors[0].message.find("a grid needs values or a range"), std::string::npos);
}

TEST(SweepSpec, AWrongDesignKindNamesTheKinds) {
  auto errors = errors_of("name: s\nbase: b.yaml\ndesign: lhs\nmetrics: [{name: a, summary: availability_min}]\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_EQ(errors[0].column, 9);
  EXPECT_NE(errors[0].message.find("latin_hypercube"), std::string::npos);
}

}  // namespace
}  // namespace outagesim::scenario
