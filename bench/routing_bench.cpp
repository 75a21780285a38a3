// Cost of routing every service from the client regions and down the
// dependency chains (docs/models/routing.md): the work the collector does at
// every sampling tick of a scenario with client regions.
#include "sim/scenario/loader.hpp"
#include "sim/world/client_routing.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

namespace {

using namespace outagesim;

/// Users in 10 regions; a CDN with PoPs in all of them, whose misses (50%)
/// go to a chain of `depth` services, each in 3 regions and sending half its
/// requests to the next.
void BM_RouteTraffic(benchmark::State& state) {
  const int depth = static_cast<int>(state.range(0));
  const char* regions[] = {"na-east", "na-central", "na-west", "sa-east", "eu-west",
                           "eu-central", "eu-north", "ap-south", "ap-southeast", "ap-northeast"};
  std::string text =
      "scenario: {name: bench, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
      "providers:\n  - name: cdn\n    services:\n      - name: edge\n        instances: {";
  for (const char* r : regions) text += fmt::format("{}: 4, ", r);
  text.resize(text.size() - 2);
  text += "}\n        capacity: 10k rps\n";
  if (depth > 0) text += "        depends_on: [{target: cloud.s0, share: 50%}]\n";
  text += "  - name: cloud\n    services:\n";
  for (int i = 0; i < depth; ++i) {
    text += fmt::format("      - {{name: s{}, instances: {{{}: 2, {}: 2, {}: 2}}, capacity: 10k rps", i, regions[i % 10],
                        regions[(i + 4) % 10], regions[(i + 7) % 10]);
    text += i + 1 < depth ? fmt::format(", depends_on: [{{target: cloud.s{}, share: 50%}}]}}\n", i + 1) : "}\n";
  }
  if (depth == 0) text += "      - {name: unused, instances: {na-east: 1}, capacity: 1k rps}\n";
  text += "sites:\n  - {name: shop, rps: 200k rps, depends_on: [{target: cdn.edge}]}\n";
  text += "traffic:\n  client_regions:\n";
  for (const char* r : regions) text += fmt::format("    - {{region: {}, users: 10%}}\n", r);
  const auto world = world::build(scenario::load_from_string(text, "bench.yaml"));
  auto world_state = world::WorldState::initial(world);
  for (auto _ : state) {
    world_state.now_s += 1;
    benchmark::DoNotOptimize(world::route_traffic(world, world_state));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<long>(world.services.size()));
}
BENCHMARK(BM_RouteTraffic)->Arg(0)->Arg(4)->Arg(16)->Unit(benchmark::kMicrosecond);

}  // namespace
