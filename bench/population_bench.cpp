// Cost of one sampling tick for a generated population: thousands of sites
// sharing a few dozen dependency signatures (traffic.population with a mix),
// the case dependency classes are for (docs/models/evaluation.md).
#include "sim/metrics/collector.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/state.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace outagesim;

/// Three CDNs (one reached through a cached DNS record), two DNS providers,
/// two clouds and an optional login service: 4 x 2 x 2 x 2 = 32 mix classes
/// of equal share, each site of a class needing the same services.
std::string population_scenario(int sites) {
  std::string text =
      "scenario: {name: bench-population, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
      "providers:\n";
  for (const char* cdn : {"cdn-a", "cdn-b", "cdn-c"})
    text += fmt::format(
        "  - name: {}\n"
        "    services: [{{name: proxy, instances: {{na-east: 30, eu-west: 30, ap-southeast: 30}}, capacity: 100k rps}}]\n"
        "    channels: [{{name: rules, consumers: proxy, origin: na-east, size: 1MB}}]\n",
        cdn);
  for (const char* dns : {"dns-x", "dns-y"})
    text += fmt::format(
        "  - name: {}\n"
        "    services: [{{name: authoritative, instances: {{na-east: 3, eu-west: 3}}, capacity: 1M rps}}]\n"
        "    records: [{{name: www, points_to: cdn-a.proxy, ttl: 5m}}]\n",
        dns);
  for (const char* cloud : {"cloud-1", "cloud-2"})
    text += fmt::format(
        "  - name: {}\n"
        "    services: [{{name: compute, instances: {{na-east: 10, eu-west: 10}}, capacity: 100k rps}}]\n",
        cloud);
  text +=
      "  - name: idp\n"
      "    services: [{name: login, instances: {na-east: 4}, capacity: 200k rps}]\n"
      "traffic:\n"
      "  population:\n"
      "    sites: " + std::to_string(sites) + "\n"
      "    total_rps: 1M rps\n"
      "    mix:\n";
  const char* edges[] = {"{target: cdn-a.proxy}", "{target: cdn-b.proxy}", "{target: cdn-c.proxy}",
                         "{kind: any_of, targets: [cdn-b.proxy, cdn-c.proxy]}"};
  int c = 0;
  for (const char* edge : edges)
    for (const char* dns : {"dns-x", "dns-y"})
      for (const char* cloud : {"cloud-1", "cloud-2"})
        for (bool login : {false, true}) {
          std::string deps = fmt::format("[{}, {{kind: cached, record: {}.www, serve_stale: 1h}}, {{target: {}.compute}}",
                                         edge, dns, cloud);
          if (login) deps += ", {kind: soft, target: idp.login}";
          text += fmt::format("      - {{name: class{}, share: 0.03125, depends_on: {}]}}\n", c++, deps);
        }
  return text;
}

/// A bad push on cdn-a that fails every other one of its PoPs.
void fail_half_of_cdn_a(const world::World& world, world::WorldState& state) {
  const int bad = state.publish(0, -1, 1e6, {1.0}, "bench");
  const auto consumers = static_cast<int>(world.services[0].instances.size());
  for (int k = 0; k < consumers; k += 2) state.apply(world, 0, k, bad);
}

void BM_EvaluatePopulation(benchmark::State& state) {
  const auto world = world::build(scenario::load_from_string(population_scenario(static_cast<int>(state.range(0))),
                                                             "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  if (state.range(1) != 0) fail_half_of_cdn_a(world, world_state);
  for (auto _ : state) {
    world_state.now_s += 1;
    benchmark::DoNotOptimize(world::evaluate(world, world_state));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EvaluatePopulation)->ArgsProduct({{10000, 100000}, {0, 1}})->Unit(benchmark::kMicrosecond);

void BM_CollectorSamplePopulation(benchmark::State& state) {
  const auto world = world::build(scenario::load_from_string(population_scenario(static_cast<int>(state.range(0))),
                                                             "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  if (state.range(1) != 0) fail_half_of_cdn_a(world, world_state);
  metrics::Collector collector(world, metrics::SeriesRetention::with_report());
  double t = 0;
  for (auto _ : state) {
    world_state.now_s = t += 1;
    collector.on_sample(t, world_state);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CollectorSamplePopulation)->ArgsProduct({{10000, 100000}, {0, 1}})->Unit(benchmark::kMicrosecond);

}  // namespace
