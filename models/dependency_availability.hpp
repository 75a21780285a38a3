// How a site's (or a service's) availability follows from what it depends on.
// Failures of different dependencies are taken as independent:
//  - hard: the request fails when the dependency fails;
//  - soft: degrades a feature or latency, never fails the request;
//  - any_of: fails only when every alternative fails (multi-CDN, secondary DNS);
//  - k_of_n: fails when fewer than k of the n alternatives work;
//  - look_aside: a cache, then a store for what the cache misses or fails
//    (look_aside_cache.hpp): fails only when a miss fails at the store;
// and a dependency needed by only a share s of the requests fails just those:
// 1 - s * (1 - a).
#pragma once

#include <span>
#include <vector>

namespace outagesim::models {

enum class DependencyRule { hard, soft, any_of, k_of_n, look_aside };

struct DependencyState {
  DependencyRule rule = DependencyRule::hard;
  std::span<const double> availability;  ///< one per target, each in [0, 1]
  int k = 1;                             ///< k_of_n
  double share = 1.0;                    ///< share of requests that need it
  double hit_rate = 0;                   ///< look_aside: share of reads the cache holds now; availability = {cache, store}
};

/// Share of requests served by a dependency of the given rule.
double dependency_availability(const DependencyState& dependency);

/// Probability that at least k of independent components with the given
/// availabilities work (exact, by dynamic programming over the count).
double at_least_k_working(std::span<const double> availability, int k);

/// Share of requests that succeed given all dependencies: the product.
double site_availability(std::span<const DependencyState> dependencies);

}  // namespace outagesim::models
