// Cost of one sampling tick of the metrics collector as the site and PoP
// counts grow: the per-tick work of every run.
#include "sim/metrics/collector.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace outagesim;

std::string scenario_with(int sites, int pops_per_region) {
  std::string text = fmt::format(
      "scenario: {{name: bench, start: 2025-01-01T00:00:00Z, duration: 1h}}\n"
      "providers:\n"
      "  - name: cdn\n"
      "    services: [{{name: proxy, instances: {{na-east: {0}, eu-west: {0}, ap-southeast: {0}}}, capacity: 1k rps}}]\n"
      "sites:\n",
      pops_per_region);
  for (int i = 0; i < sites; ++i) text += fmt::format("  - {{name: s{}, rps: 10 rps, depends_on: [{{target: cdn.proxy}}]}}\n", i);
  return text;
}

void BM_CollectorSample(benchmark::State& state) {
  const auto world = world::build(scenario::load_from_string(
      scenario_with(static_cast<int>(state.range(0)), static_cast<int>(state.range(1))), "bench.yaml"));
  const auto world_state = world::WorldState::initial(world);
  metrics::Collector collector(world, metrics::SeriesRetention::with_report());
  double t = 0;
  for (auto _ : state) collector.on_sample(t += 1, world_state);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CollectorSample)->Args({10, 10})->Args({1000, 100})->Args({10000, 100})->Unit(benchmark::kMicrosecond);

// The same while a bad push fails every other PoP: every site is down and
// its failed requests are attributed at every tick.
void BM_CollectorSampleDuringOutage(benchmark::State& state) {
  std::string text = scenario_with(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const auto sites = text.find("sites:\n");
  text.insert(sites, "    channels: [{name: rules, consumers: proxy, origin: na-east, size: 1MB}]\n");
  text += "faults: [{id: push, kind: bad_config_push, channel: cdn.rules, at: +1m, "
          "effects: [{variant: default, error_rate: 100%}]}]\n";
  const auto world = world::build(scenario::load_from_string(text, "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  const int bad = world_state.publish(0, 0, 1e6, world.faults[0].error_rate_by_variant, "fault:push");
  const auto consumers = static_cast<int>(world.services[0].instances.size());
  for (int k = 0; k < consumers; k += 2) world_state.apply(world, 0, k, bad);
  metrics::Collector collector(world, metrics::SeriesRetention::with_report());
  double t = 0;
  for (auto _ : state) collector.on_sample(t += 1, world_state);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CollectorSampleDuringOutage)->Args({1000, 100})->Args({10000, 100})->Unit(benchmark::kMicrosecond);

}  // namespace
