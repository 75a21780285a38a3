// The look-aside cache model (docs/models/caches.md) over random reads, hit
// rates and availabilities, with fixed seeds:
// - reads are conserved: hits + misses = reads;
// - while the cache answers everything, the store's load is (1 - h) x reads;
// - a higher hit rate never loads the store more, nor answers fewer reads;
// - a flushed cache refills monotonically towards its full content, never past it.
#include "models/dependency_availability.hpp"
#include "models/look_aside_cache.hpp"
#include "models/rng.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

constexpr int cases = 2000;

TEST(LookAsideCache, ReadsAreConservedAndTheStoreGetsTheMissesWhileTheCacheWorks) {
  Rng rng(1, "look-aside conservation");
  for (int k = 0; k < cases; ++k) {
    const double reads = 1e6 * rng.uniform(), h = rng.uniform(), cache = rng.uniform();
    const auto s = split_reads(reads, h, cache);
    EXPECT_NEAR(s.hits_rps + s.misses_rps, reads, 1e-9 * reads);
    EXPECT_GE(s.hits_rps, 0.0);
    EXPECT_GE(s.misses_rps, 0.0);
    const auto working = split_reads(reads, h, 1.0);
    EXPECT_NEAR(working.misses_rps, (1 - h) * reads, 1e-9 * reads);
  }
  // A 99% hit rate: losing the cache multiplies the store's load by 100.
  EXPECT_NEAR(split_reads(100e3, 0.99, 0.0).misses_rps / split_reads(100e3, 0.99, 1.0).misses_rps, 100.0, 1e-6);
}

TEST(LookAsideCache, AHigherHitRateNeverLoadsTheStoreMoreNorAnswersLess) {
  Rng rng(2, "look-aside monotone");
  for (int k = 0; k < cases; ++k) {
    const double reads = 1e6 * rng.uniform(), cache = rng.uniform(), store = rng.uniform();
    const double low = rng.uniform(), high = low + (1 - low) * rng.uniform();
    EXPECT_LE(split_reads(reads, high, cache).misses_rps, split_reads(reads, low, cache).misses_rps + 1e-9);
    EXPECT_GE(look_aside_availability(high, cache, store), look_aside_availability(low, cache, store) - 1e-12);
    // The same holds for more of the cache answering.
    const double better = cache + (1 - cache) * rng.uniform();
    EXPECT_LE(split_reads(reads, high, better).misses_rps, split_reads(reads, high, cache).misses_rps + 1e-9);
  }
}

TEST(LookAsideCache, FailsOnlyWhereAMissFailsAtTheStore) {
  EXPECT_DOUBLE_EQ(look_aside_availability(0.99, 0.0, 1.0), 1.0) << "a lost cache falls back to the store";
  EXPECT_NEAR(look_aside_availability(0.99, 1.0, 0.0), 0.99, 1e-12) << "a lost store fails the misses";
  EXPECT_NEAR(look_aside_availability(0.9, 0.5, 0.2), 0.45 + 0.55 * 0.2, 1e-12);
  // As a dependency rule, with a share of the requests reading through it.
  const std::vector<double> cache_store{1.0, 0.0};
  DependencyState d{DependencyRule::look_aside, cache_store, 1, 0.5};
  d.hit_rate = 0.8;
  EXPECT_NEAR(dependency_availability(d), 1 - 0.5 * 0.2, 1e-12);
}

TEST(LookAsideCache, AFlushedCacheRefillsMonotonicallyToItsFullContent) {
  Rng rng(3, "look-aside refill");
  for (int k = 0; k < 200; ++k) {
    const double tau = 1 + 600 * rng.uniform(), dt = 0.1 + 5 * rng.uniform();
    double f = flushed(rng.uniform(), 0.5 + 0.5 * rng.uniform());
    for (int step = 0; step < 2000; ++step) {
      const double next = refill(f, dt, tau, rng.uniform());
      EXPECT_GE(next, f);
      EXPECT_LE(next, 1.0);
      f = next;
    }
  }
  // Exact over a step: with every miss written back, 1 - e^-1 after one time constant.
  EXPECT_NEAR(refill(0.0, 300, 300, 1.0), 1 - std::exp(-1.0), 1e-12);
  // In small steps, the same.
  double f = 0;
  for (int s = 0; s < 300; ++s) f = refill(f, 1, 300, 1.0);
  EXPECT_NEAR(f, 1 - std::exp(-1.0), 1e-12);
  // Nothing written back: nothing refills.
  EXPECT_DOUBLE_EQ(refill(0.25, 1000, 10, 0.0), 0.25);
  EXPECT_DOUBLE_EQ(flushed(0.8, 1.0), 0.0);
  EXPECT_NEAR(flushed(0.8, 0.25), 0.6, 1e-12);
}

}  // namespace
}  // namespace outagesim::models
