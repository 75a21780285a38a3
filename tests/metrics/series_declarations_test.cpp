// The series declarations (metrics/series/) are timeseries.csv's contract:
// every series a run writes is declared, series come in the order declared,
// and each declaration is produced by some scenario.
#include "sim/metrics/collector.hpp"
#include "sim/metrics/series.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <set>
#include <utility>
#include <vector>
#include <type_traits>

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

static_assert(!std::is_convertible_v<std::size_t, SeriesId>, "a series id is not an entity index");
static_assert(!std::is_convertible_v<SeriesId, std::size_t>, "nor the other way round");

std::size_t declaration_index(const Series& s) {
  const SeriesDeclaration* d = find_series_declaration(s.scope, s.metric);
  return d == nullptr ? series_declarations().size() : static_cast<std::size_t>(d - series_declarations().data());
}

TEST(SeriesDeclarations, ScopeAndMetricNameOneDeclaration) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& d : series_declarations()) {
    EXPECT_TRUE(seen.emplace(d.scope, d.metric).second) << d.scope << " " << d.metric;
    EXPECT_FALSE(d.unit.empty()) << d.scope << " " << d.metric;
    EXPECT_FALSE(d.description.empty()) << d.scope << " " << d.metric;
  }
}

TEST(SeriesDeclarations, EverySeriesIsDeclaredAndComesInTheDeclaredOrder) {
  std::set<std::size_t> produced;
  // Between them: client regions and DNS records, segments and queues, latency injection, DNS query load,
  // client-region series aggregated (output.client_series).
  const std::vector<std::pair<const char*, std::vector<scenario::Override>>> runs{
      {"/scenarios/examples/dns-regional-caches.yaml", {}},
      {"/scenarios/incidents/cloudflare-2025-11-18.yaml", {}},
      {"/scenarios/examples/fault-latency-injection.yaml", {}},
      {"/scenarios/examples/cdn-bad-push.yaml", {}},
      {"/scenarios/examples/cache-flush.yaml", {}},
      {"/scenarios/examples/dns-query-flood.yaml", {}},
      {"/scenarios/examples/anycast-spillover.yaml", {{"output.client_series", "aggregated"}}}};
  for (const auto& [file, overrides] : runs) {
    SCOPED_TRACE(file);
    const world::World world = world::build(scenario::load(std::string(OUTAGESIM_SOURCE_DIR) + file, overrides));
    const world::WorldState state = world::WorldState::initial(world);
    Collector collector{world, SeriesRetention::every_series()};
    collector.on_sample(0, state);
    const RunResult r = collector.finish();
    std::size_t latest_first = 0;  // the declaration of the latest series seen for the first time
    std::set<std::size_t> seen;
    for (const auto& s : r.series) {
      const std::size_t d = declaration_index(s);
      ASSERT_LT(d, series_declarations().size()) << s.scope << " " << s.metric << " is not declared";
      ASSERT_EQ(s.values.size(), 1u) << s.scope << " " << s.entity << " " << s.metric;
      if (seen.insert(d).second) {
        EXPECT_GE(d, latest_first) << s.scope << " " << s.metric << " comes before a series declared earlier";
        latest_first = d;
      }
    }
    produced.insert(seen.begin(), seen.end());
  }
  for (std::size_t d = 0; d < series_declarations().size(); ++d)
    EXPECT_TRUE(produced.count(d)) << series_declarations()[d].scope << " " << series_declarations()[d].metric
                                   << " is produced by none of these scenarios";
}

}  // namespace
}  // namespace outagesim::metrics
