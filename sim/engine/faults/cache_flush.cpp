// Cache flush: a look-aside cache's targeted instances lose their content,
// their share of its capacity, without going down (a FLUSH, a bad config
// that empties it). With a duration, the cache is kept from refilling until
// the fault ends (a config that disables writes); the content then refills
// as its misses are written back (world/traffic, docs/models/caches.md).
#include "sim/engine/fault_play.hpp"
#include "sim/world/traffic.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::CacheFlush&) {
  const auto& fault = run.fault;
  const auto& world = run.context.world();
  double targeted = 0, total = 0;
  for (int i : world.services[static_cast<std::size_t>(fault.service)].instances)
    total += world.instances[static_cast<std::size_t>(i)].capacity_rps;
  for (int i : fault.instances) targeted += world.instances[static_cast<std::size_t>(i)].capacity_rps;
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  auto& cache = run.context.state().services[static_cast<std::size_t>(fault.service)];
  world::flush_cache(run.context.state(), fault.service, total > 0 ? targeted / total : 0.0, world::index(run.f));
  if (fault.duration_s) {
    ++cache.cache_holds;
    run.wait_out();
    --cache.cache_holds;
  }
  run.context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
