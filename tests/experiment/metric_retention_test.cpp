// A sweep's run that keeps no run directory holds only the series its
// metrics read (series_read_by, SeriesRetention::without_report): its
// metrics are those of the same run holding every series.
#include "sim/experiment/metric_extraction.hpp"
#include "sim/metrics/collector.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <gtest/gtest.h>

namespace outagesim::experiment {
namespace {

constexpr const char* two_pops = R"(scenario: {name: two, start: 2025-01-01T00:00:00Z, duration: 60s}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 2}, capacity: 1k rps}]
    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB}]
sites:
  - {name: a.example, rps: 300 rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: push, kind: bad_config_push, channel: cdn.rules, at: +10s, effects: [{variant: default, error_rate: 100%}]}
output: {resolution: 10s}
)";

metrics::RunResult driven(const world::World& world, const metrics::SeriesRetention& retention) {
  world::WorldState state = world::WorldState::initial(world);
  metrics::Collector collector(world, retention);
  for (double t = 0; t <= 60; t += 10) {
    if (t == 20) {  // one of the two PoPs takes the bad version
      const int bad = state.publish(0, 0, 1e6, world.faults[0].error_rate_by_variant, "fault:push");
      state.apply(world, 0, 0, bad);
    }
    collector.on_sample(t, state);
  }
  return collector.finish();
}

TEST(MetricRetention, ASweepRunHoldsOnlyTheSeriesItsMetricsRead) {
  const world::World world = world::build(scenario::load_from_string(two_pops, "two.yaml"));
  auto series_metric = [](std::string scope, std::string entity, std::string metric, scenario::SeriesDerivation derive) {
    scenario::SweepMetric m;
    m.name = metric;
    m.scope = std::move(scope);
    m.entity = std::move(entity);
    m.metric = std::move(metric);
    m.derive = derive;
    return m;
  };
  std::vector<scenario::SweepMetric> metrics(1);
  metrics[0].name = "mean";
  metrics[0].summary = "availability_mean";
  metrics.push_back(series_metric("site", "a.example", "failed_rps", scenario::SeriesDerivation::integral));
  metrics.push_back(series_metric("site", "a.example", "failed_requests_cumulative", scenario::SeriesDerivation::value_at));
  metrics.back().at_s = 60;
  metrics.push_back(series_metric("global", "", "sites_down", scenario::SeriesDerivation::maximum));
  const metrics::RunResult all = driven(world, metrics::SeriesRetention::every_series());
  const metrics::RunResult some = driven(world, metrics::SeriesRetention::without_report(series_read_by(metrics)));
  const auto expected = extract_metrics(all, metrics);
  EXPECT_EQ(extract_metrics(some, metrics), expected);
  ASSERT_TRUE(expected[1] && expected[2] && expected[3]);
  EXPECT_GT(*expected[1], 0);  // the metrics read something that moved
  EXPECT_DOUBLE_EQ(*expected[3], 1);
  std::size_t held = 0;
  for (const auto& s : some.series) held += s.held ? 1 : 0;
  EXPECT_EQ(held, 2u + 3u);  // the headline's two and the three asked for
  EXPECT_LT(held, some.series.size());
}

}  // namespace
}  // namespace outagesim::experiment
