// The look-aside caches (docs/models/caches.md): how much of their content
// they hold, and the share of the lookups they answer with a hit.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class CacheSeries {
 public:
  static constexpr SeriesDeclaration hit_rate{
      "service", "hit_rate", "fraction", "`provider.service`",
      "look-aside caches (services with `cache:`) only: share of the lookups of their readers answered with a hit "
      "now, reads-weighted: declared hit rate x content held x the cache's availability; the rest loads the stores"};
  static constexpr SeriesDeclaration cache_fill{
      "service", "cache_fill", "fraction", "`provider.service`",
      "same services: share of the warm content held (1 before any flush or crash; refills after one)"};
  static constexpr std::array declared{hit_rate, cache_fill};

  explicit CacheSeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  const world::World& world_;
  std::vector<std::size_t> caches_;                            ///< the services with these series
  std::vector<std::array<SeriesId, declared.size()>> series_;  ///< parallel to caches_, in declared's order
};

}  // namespace outagesim::metrics
