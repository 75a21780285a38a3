// Cost of the traffic model: one queue step of one service, and one traffic
// step of a whole world (every service with memory, dependencies included),
// the work the engine does once per traffic.step.
#include "models/service_queue.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/traffic.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace outagesim;

/// A queue in the failed state of the metastable example: full of stale
/// requests, every attempt timing out and retried up to 3 times.
void BM_QueueAdvanceOverloaded(benchmark::State& state) {
  models::QueueParams p;
  p.timeout_s = 2;
  p.max_wait_s = 30;
  p.retry.max_retries = static_cast<int>(state.range(0));
  p.retry.backoff_max_s = 8;
  models::QueueState s = models::QueueState::initial(p);
  const models::QueueInputs in{.fresh_rps = 80e3, .capacity_rps = 100e3};
  for (int k = 0; k < 600; ++k) models::advance(p, s, in);
  for (auto _ : state) {
    models::advance(p, s, in);
    benchmark::DoNotOptimize(s.queued);
  }
}
BENCHMARK(BM_QueueAdvanceOverloaded)->Arg(0)->Arg(3)->Arg(10)->Unit(benchmark::kNanosecond);

/// One traffic step of a world with `services` chained services, each with
/// a queue and retries, each depending on the next.
void BM_TrafficStep(benchmark::State& state) {
  const int services = static_cast<int>(state.range(0));
  std::string text =
      "scenario: {name: bench, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
      "traffic: {retry: {max_retries: 3}}\n"
      "providers:\n  - name: cloud\n    services:\n";
  for (int i = 0; i < services; ++i) {
    text += fmt::format("      - {{name: s{}, instances: {{na-east: 10}}, capacity: 10k rps, queue: {{max_wait: 30s}}", i);
    text += i + 1 < services ? fmt::format(", depends_on: [{{target: cloud.s{}}}]}}\n", i + 1) : "}\n";
  }
  text += "sites:\n  - {name: shop, rps: 50k rps, depends_on: [{target: cloud.s0}]}\n";
  const auto world = world::build(scenario::load_from_string(text, "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  for (auto _ : state) {
    world_state.now_s += 1;
    benchmark::DoNotOptimize(world::advance_traffic(world, world_state));
  }
  state.SetItemsProcessed(state.iterations() * services);
}
BENCHMARK(BM_TrafficStep)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
