// Cost of evaluating sites that depend on a DNS record, without and with
// client regions (docs/models/dns.md): with regions, each list through a
// record is evaluated once per region, each (record, region) cache once.
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/state.hpp"

#include "models/dns_cache.hpp"

#include <limits>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace outagesim;

constexpr const char* regions[] = {"na-east", "eu-west", "ap-southeast", "sa-east", "oc-east"};

std::string scenario_through_record(int sites, int client_regions) {
  std::string text =
      "scenario: {name: bench, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
      "providers:\n"
      "  - name: ns\n"
      "    services: [{name: auth, instances: {na-east: 2, eu-west: 2}, capacity: 1M rps}]\n"
      "    records: [{name: www, points_to: cdn.proxy, ttl: 5m}]\n"
      "  - name: cdn\n"
      "    services: [{name: proxy, instances: {na-east: 10, eu-west: 10, ap-southeast: 10}, capacity: 10k rps}]\n"
      "sites:\n";
  for (int i = 0; i < sites; ++i)
    text += fmt::format("  - {{name: s{}, rps: 10 rps, depends_on: [{{kind: cached, record: ns.www, serve_stale: 1h}}]}}\n", i);
  if (client_regions > 0) {
    text += "traffic:\n  client_regions:\n";
    for (int c = 0; c < client_regions; ++c)
      text += fmt::format("    - {{region: {}, users: {}%}}\n", regions[c], c == 0 ? 100 - 10 * (client_regions - 1) : 10);
  }
  return text;
}

/// One world::evaluate with the record changed a minute ago and, with client
/// regions, the last region cut off from the authority: every cache is mixed.
/// The third argument asks for each region's view of every site (as the
/// collector does for sites with series).
void BM_EvaluateThroughRecord(benchmark::State& state) {
  const int client_regions = static_cast<int>(state.range(1));
  const auto world = world::build(
      scenario::load_from_string(scenario_through_record(static_cast<int>(state.range(0)), client_regions), "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  world_state.records[0].history.push_back({600, -1});
  if (client_regions > 0)
    world_state.unreachable_from.back()[0].push_back({300, std::numeric_limits<double>::infinity(), -1});
  world_state.now_s = 660;
  const bool views = state.range(2) != 0;
  for (auto _ : state) benchmark::DoNotOptimize(world::evaluate(world, world_state, views));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluateThroughRecord)
    ->Args({1000, 0, 0})
    ->Args({1000, 1, 0})
    ->Args({1000, 3, 0})
    ->Args({1000, 5, 0})
    ->Args({1000, 3, 1})
    ->Args({1000, 5, 1})
    ->Unit(benchmark::kMicrosecond);

/// What the clients of one record hold under a partly answering authority
/// (docs/models/dns.md, "Authorities under query load"): `spans` spans of
/// one minute each, cycling through `levels` answered shares, TTL 5 min,
/// evaluated at the end of the last one. `spans` 0 is the binary model.
void BM_CachedAnswersPartly(benchmark::State& state) {
  const auto spans = static_cast<int>(state.range(0)), levels = static_cast<int>(state.range(1));
  const std::vector<models::AnswerSpan> history{{-std::numeric_limits<double>::infinity(), 0}};
  const std::vector<models::Unreachable> unreachable;
  std::vector<models::PartlyAnswered> partly;
  for (int k = 0; k < spans; ++k)
    partly.push_back({60.0 * k, 60.0 * (k + 1), 0.2 + 0.6 * (k % levels) / levels, -1});
  const double t = 60.0 * spans;
  for (auto _ : state) benchmark::DoNotOptimize(models::cached_answers(history, unreachable, partly, 300, 600, t));
}
BENCHMARK(BM_CachedAnswersPartly)
    ->Args({0, 1})
    ->Args({10, 1})
    ->Args({60, 5})
    ->Args({1440, 5})
    ->Args({1440, 100})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
