// The look-aside cache example (docs/models/caches.md), run through the CLI.
// What it must show follows from its own numbers, computed here from the
// loaded scenario: the store's load steps by 1 / (1 - hit rate) when the
// cache is lost, and the cache refills by what the store answers, on the
// closed form t(f) = (R refill / capacity) (H f - (1 - H) ln(1 - f)).
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// The example's numbers, from the scenario.
struct Numbers {
  world::World world;
  double reads = 0, hit = 0, capacity = 0, refill_s = 0, flush = 0;
  explicit Numbers(const scenario::Scenario& s) : world(world::build(s)) {
    const auto& l = world.look_asides.at(0);
    reads = l.reads_rps;
    hit = l.hit_rate;
    for (int i : world.services.at(static_cast<std::size_t>(l.store)).instances)
      capacity += world.instances.at(static_cast<std::size_t>(i)).capacity_rps;
    refill_s = world.services.at(static_cast<std::size_t>(l.cache)).cache_refill_s;
    flush = world.faults.at(0).at_s;
  }
  /// Time from the flush for the content to reach `f` while the store refuses its excess.
  [[nodiscard]] double refill_time(double f) const {
    return reads * refill_s / capacity * (hit * f - (1 - hit) * std::log(1 - f));
  }
  /// The content at which the store's load falls back to its capacity.
  [[nodiscard]] double enough() const { return (1 - capacity / reads) / hit; }
};

/// The first sample time from `from` on at which `series` is at most `limit`.
double first_at_most(const Series& series, double from, double limit) {
  for (const auto& [t, v] : series)
    if (t >= from && v <= limit) return t;
  return -1;
}

TEST(CacheExamples, AFlushedCacheStepsTheStoreHundredfoldAndRefillsByWhatTheStoreAnswers) {
  const Numbers n(scenario::load(example("cache-flush")));
  ASSERT_EQ(n.world.look_asides.size(), 1U);
  ASSERT_GT(n.capacity, n.reads * (1 - n.hit)) << "sized for its misses";
  ASSERT_LT(n.capacity, n.reads) << "not for every read";
  const fs::path dir = run_example("cache-flush");
  const Series store = read_series(dir, "service", "shop.db", "offered_rps");
  const Series hit = read_series(dir, "service", "shop.memcache", "hit_rate");
  const Series fill = read_series(dir, "service", "shop.memcache", "cache_fill");
  const Series global = read_series(dir, "global", "", "availability");

  // A warm cache: the store sees (1 - H) of the reads, and every read succeeds.
  for (double v : between(store, 0, n.flush)) EXPECT_NEAR(v, n.reads * (1 - n.hit), 1e-6 * n.reads);
  for (double v : between(hit, 0, n.flush)) EXPECT_NEAR(v, n.hit, 1e-12);
  EXPECT_GT(min_of(between(global, 0, n.flush)), 0.999999);
  // Flushed: every read misses, 1 / (1 - H) = 100 times the store's load, by mechanism.
  const double stepped = max_of(between(store, n.flush, n.flush + 30));
  EXPECT_NEAR(stepped / (n.reads * (1 - n.hit)), 1 / (1 - n.hit), 0.02 / (1 - n.hit));
  // The store answers its capacity's worth: the users get the hits plus that.
  const double early = n.flush + 10;
  const double f_early = between(fill, early, early + 1).at(0);
  EXPECT_NEAR(between(global, early, early + 1).at(0), n.hit * f_early + n.capacity / n.reads, 0.01);
  // The refill slows by the share the store answers: back under capacity at t(f*).
  const double back = n.flush + n.refill_time(n.enough());
  const double seen = first_at_most(store, n.flush + 10, n.capacity);
  EXPECT_NEAR(seen, back, 0.03 * (back - n.flush) + 10) << "predicted " << back;
  // Had every miss been answered, the same content would have come back in
  // refill x -ln(1 - f*) (96 s here): the drowning store slows it about sixfold.
  EXPECT_GT(seen - n.flush, 5 * n.refill_s * -std::log(1 - n.enough()));
  // Whole again from then on; the hit rate climbs back to H without ever falling.
  EXPECT_GT(min_of(between(global, back + 60, n.world.duration_s + 1)), 0.9999);
  const auto rates = between(hit, n.flush + 1, n.world.duration_s + 1);
  for (std::size_t k = 1; k < rates.size(); ++k) EXPECT_GE(rates[k], rates[k - 1]);
  EXPECT_LT(rates.front(), 0.05);
  EXPECT_GT(rates.back(), 0.99 * n.hit);
  // The whole failure is the flush's.
  const auto summary = read_json(dir / "summary.json")["metrics"];
  EXPECT_GT(summary["failed_requests"].get<double>(), 0.0);
  EXPECT_NEAR(summary["faults"]["bad-cache-config"]["failed_requests"].get<double>(),
              summary["failed_requests"].get<double>(), 1e-6 * summary["failed_requests"].get<double>());
}

TEST(CacheExamples, ACrashedCacheSendsEveryReadToTheStoreAndComesBackEmpty) {
  const Numbers n(scenario::load(example("cache-flush")));
  const double down = 120;
  const fs::path dir = run_example(
      "cache-flush", fmt::format("--set 'faults[0]={{id: cache-crash, kind: crash, at: +10m, down: {}s, target: "
                                 "{{service: shop.memcache}}}}'",
                                 down));
  const Series store = read_series(dir, "service", "shop.db", "offered_rps");
  const Series hit = read_series(dir, "service", "shop.memcache", "hit_rate");
  const Series fill = read_series(dir, "service", "shop.memcache", "cache_fill");
  // While the cache is down, every read goes to the store, whatever it held.
  for (double v : between(store, n.flush + 10, n.flush + down - 10)) EXPECT_NEAR(v, n.reads, 1e-6 * n.reads);
  for (double v : between(hit, n.flush + 10, n.flush + down - 10)) EXPECT_DOUBLE_EQ(v, 0.0);
  // Its memory went with it: it comes back empty and refills nothing while down.
  for (double v : between(fill, n.flush + 10, n.flush + down)) EXPECT_DOUBLE_EQ(v, 0.0);
  // Then it refills as a flushed cache does, from its return.
  const double back = n.flush + down + n.refill_time(n.enough());
  EXPECT_NEAR(first_at_most(store, n.flush + down + 10, n.capacity), back, 0.03 * (back - n.flush - down) + 10);
  const auto summary = read_json(dir / "summary.json")["metrics"];
  EXPECT_NEAR(summary["faults"]["cache-crash"]["failed_requests"].get<double>(),
              summary["failed_requests"].get<double>(), 1e-6 * summary["failed_requests"].get<double>());
}

TEST(CacheExamples, AHeldFlushKeepsTheStoreOverloadedUntilItEndsAndScalingTheStoreMitigatesIt) {
  const Numbers n(scenario::load(example("cache-flush")));
  const double held = 600, scale_at = n.flush + 300;
  const double factor = std::ceil(n.reads / n.capacity) + 1;  // room for every read
  const fs::path dir = run_example(
      "cache-flush",
      fmt::format("--set faults[0].duration={}s --set 'operators=[{{name: dba, actions: [{{at: +{}s, do: scale, "
                  "service: shop.db, factor: {}}}]}}]'",
                  held, scale_at, factor));
  const Series fill = read_series(dir, "service", "shop.memcache", "cache_fill");
  const Series global = read_series(dir, "global", "", "availability");
  // Held: nothing refills while the fault lasts, then it refills.
  for (double v : between(fill, n.flush + 1, n.flush + held)) EXPECT_DOUBLE_EQ(v, 0.0);
  EXPECT_GT(fill.back().second, 0.99);
  // Before the scale the store answers its capacity's worth; after it, every read.
  EXPECT_NEAR(max_of(between(global, n.flush + 10, scale_at)), n.capacity / n.reads, 0.01);
  EXPECT_GT(min_of(between(global, scale_at + 10, n.world.duration_s + 1)), 0.9999);
  const auto fault = read_json(dir / "summary.json")["metrics"]["faults"]["bad-cache-config"];
  EXPECT_DOUBLE_EQ(fault["mitigated_at"].get<double>(), scale_at) << "it pressed on the store it overloaded";
  EXPECT_DOUBLE_EQ(fault["recovered_at"].get<double>(), n.flush + held);
}

TEST(CacheExamples, AStoreWhoseQueueWaitsPastTheTimeoutKeepsItsCacheCold) {
  const Numbers n(scenario::load(example("cache-flush")));
  // Room for 30 s of work against a 2 s timeout, and 3 retries: once flushed,
  // the store's waits pass the timeout, almost no miss is answered in time,
  // so almost nothing is written back (docs/models/caches.md).
  const fs::path dir = run_example(
      "cache-flush", "--set 'providers.shop.services.db.queue={max_wait: 30s, timeout: 2s, retry: {max_retries: 3}}'");
  const Series fill = read_series(dir, "service", "shop.memcache", "cache_fill");
  const Series global = read_series(dir, "global", "", "availability");
  // In the example's queue the content is back within ~10 minutes; here it stays cold to the end.
  EXPECT_LT(fill.back().second, 0.1);
  EXPECT_LT(max_of(between(global, n.flush + 60, n.world.duration_s + 1)), 0.2);
  EXPECT_LT(n.flush + n.refill_time(n.enough()) + 600, n.world.duration_s) << "the run is long enough to tell";
}

}  // namespace
}  // namespace outagesim
