// Look-aside caches and load shares in a built world (docs/models/caches.md):
// - the static offered load puts every read on the cache and the misses of a
//   warm, working cache on the store;
// - at run time the store's first attempts are reads x (1 - hit rate x fill x
//   the cache's availability), over random hit rates and fills, and a higher
//   hit rate never gives the store more;
// - a flushed cache refills without ever falling, and a held one not at all;
// - `load_share` decides the load a dependency gets, `share` whether its
//   failure fails the caller.
#include "models/rng.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/traffic.hpp"
#include "sim/world/world.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace outagesim::world {
namespace {

World cache_world(double hit_rate, const std::string& extra = "") {
  const std::string text = fmt::format(R"(scenario: {{name: cache, start: 2025-06-02T12:00:00Z, duration: 1h}}
providers:
  - name: shop
    services:
      - name: api
        instances: {{na-east: 10}}
        capacity: 20k rps
        depends_on:
          - {{kind: look_aside, cache: shop.memcache, store: shop.db, hit_rate: {}}}
{}
      - name: memcache
        instances: {{na-east: 4}}
        capacity: 50k rps
        cache: {{refill: 30s}}
      - name: db
        instances: {{na-east: 5}}
        capacity: 1k rps
      - name: recs
        instances: {{na-east: 2}}
        capacity: 100k rps
      - name: audit
        instances: {{na-east: 2}}
        capacity: 100k rps
sites:
  - {{name: shop.example, rps: 100k rps, depends_on: [{{target: shop.api}}]}}
)",
                                       hit_rate, extra);
  return build(scenario::load_from_string(text, "cache.yaml"));
}

int service(const World& w, const std::string& id) {
  for (std::size_t s = 0; s < w.services.size(); ++s)
    if (w.services[s].id == id) return static_cast<int>(s);
  throw std::logic_error("no service " + id);
}

TEST(LookAsideWorld, TheStaticLoadHoldsEveryReadOnTheCacheAndTheWarmMissesOnTheStore) {
  const World w = cache_world(0.99);
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(service(w, "shop.memcache"))].offered_rps, 100e3);
  EXPECT_NEAR(w.services[static_cast<std::size_t>(service(w, "shop.db"))].offered_rps, 1e3, 1e-6);
  ASSERT_EQ(w.look_asides.size(), 1U);
  EXPECT_DOUBLE_EQ(w.look_asides[0].reads_rps, 100e3);
  EXPECT_TRUE(traffic_has_memory(w)) << "the cache's content moves with time";
}

TEST(LookAsideWorld, TheStoreGetsWhatTheCacheMissesNowAndNeverMoreForAHigherHitRate) {
  models::Rng rng(7, "look-aside world");
  for (int k = 0; k < 60; ++k) {
    const double low = rng.uniform(), high = low + (1 - low) * rng.uniform(), fill = rng.uniform();
    const bool crashed = k % 3 == 0;  // every third case: half of the cache down
    double previous = 0;
    for (double h : {high, low}) {
      const World w = cache_world(h);
      WorldState state = WorldState::initial(w);
      const int cache = service(w, "shop.memcache"), db = service(w, "shop.db");
      state.services[static_cast<std::size_t>(cache)].cache_fill = fill;
      if (crashed)
        for (std::size_t i = 0; i < 2; ++i)
          state.instances[static_cast<std::size_t>(w.services[static_cast<std::size_t>(cache)].instances[i])].up = false;
      const std::vector<double> availability = evaluate_services(w, state);
      const double answered = availability[static_cast<std::size_t>(cache)];
      advance_caches(w, state, availability, 0.0);
      const double store = queue_inputs(w, state, db, 1.0).fresh_rps;
      EXPECT_NEAR(store, 100e3 * (1 - h * fill * answered), 1e-6);
      // Conservation: the cache's hits and the store's reads add up to the reads.
      EXPECT_NEAR(100e3 * h * fill * answered + store, 100e3, 1e-6);
      if (h == low) {
        EXPECT_GE(store, previous - 1e-6);
      }
      previous = store;
    }
  }
}

TEST(LookAsideWorld, AFlushedCacheRefillsMonotonicallyUnlessHeld) {
  const World w = cache_world(0.99);
  WorldState state = WorldState::initial(w);
  const int cache = service(w, "shop.memcache");
  auto& c = state.services[static_cast<std::size_t>(cache)];
  flush_cache(state, cache, 1.0, -1);
  EXPECT_DOUBLE_EQ(c.cache_fill, 0.0);
  ++c.cache_holds;
  for (int s = 0; s < 30; ++s) advance_caches(w, state, evaluate_services(w, state), 1.0);
  EXPECT_DOUBLE_EQ(c.cache_fill, 0.0) << "held: no write-back";
  --c.cache_holds;
  double before = c.cache_fill;
  for (int s = 0; s < 3600; ++s) {
    advance_caches(w, state, evaluate_services(w, state), 1.0);
    EXPECT_GE(c.cache_fill, before);
    EXPECT_LE(c.cache_fill, 1.0);
    before = c.cache_fill;
  }
  EXPECT_GT(c.cache_fill, 0.999);
  // A crash of one instance of four empties its share.
  flush_cache(state, cache, 0.25, -1);
  EXPECT_NEAR(c.cache_fill, 0.75 * before, 1e-12);
}

TEST(LookAsideWorld, LoadShareLoadsAndShareDecidesSuccess) {
  const World w = cache_world(0.99,
                              "          - {target: shop.recs, share: 0%, load_share: 100%}\n"
                              "          - {target: shop.audit, share: 100%, load_share: 10%}");
  const int recs = service(w, "shop.recs"), audit = service(w, "shop.audit"), api = service(w, "shop.api");
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(recs)].offered_rps, 100e3);
  EXPECT_DOUBLE_EQ(w.services[static_cast<std::size_t>(audit)].offered_rps, 10e3);
  WorldState state = WorldState::initial(w);
  for (int i : w.services[static_cast<std::size_t>(recs)].instances) state.instances[static_cast<std::size_t>(i)].up = false;
  EXPECT_DOUBLE_EQ(evaluate_services(w, state)[static_cast<std::size_t>(api)], 1.0) << "loaded, never needed";
  for (int i : w.services[static_cast<std::size_t>(audit)].instances) state.instances[static_cast<std::size_t>(i)].up = false;
  EXPECT_DOUBLE_EQ(evaluate_services(w, state)[static_cast<std::size_t>(api)], 0.0) << "needed by every request";
}

}  // namespace
}  // namespace outagesim::world
