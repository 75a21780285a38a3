// How long the scenario stage takes: unit parsing and a whole load.
#include "sim/scenario/loader.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace outagesim;

void BM_ParseDuration(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(scenario::parse_quantity("1h30m", scenario::Unit::duration));
}
BENCHMARK(BM_ParseDuration);

void BM_LoadExampleScenario(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml"));
}
BENCHMARK(BM_LoadExampleScenario)->Unit(benchmark::kMicrosecond);

void BM_BuildWorld(benchmark::State& state) {
  const auto s = scenario::load(OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml");
  for (auto _ : state) benchmark::DoNotOptimize(world::build(s));
}
BENCHMARK(BM_BuildWorld)->Unit(benchmark::kMicrosecond);

}  // namespace
