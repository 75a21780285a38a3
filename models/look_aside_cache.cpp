#include "look_aside_cache.hpp"

#include <algorithm>
#include <cmath>

namespace outagesim::models {

LookAsideSplit split_reads(double reads_rps, double hit_rate, double cache) {
  const double hit = std::clamp(hit_rate, 0.0, 1.0) * std::clamp(cache, 0.0, 1.0);
  LookAsideSplit s;
  s.hits_rps = reads_rps * hit;
  s.misses_rps = reads_rps - s.hits_rps;
  return s;
}

double look_aside_availability(double hit_rate, double cache, double store) {
  const double hit = std::clamp(hit_rate, 0.0, 1.0) * std::clamp(cache, 0.0, 1.0);
  return std::clamp(hit + (1.0 - hit) * std::clamp(store, 0.0, 1.0), 0.0, 1.0);
}

double refill(double fill, double dt_s, double refill_s, double written_back) {
  fill = std::clamp(fill, 0.0, 1.0);
  if (refill_s <= 0) return 1.0;
  const double rate = std::clamp(written_back, 0.0, 1.0) / refill_s;
  return std::clamp(1.0 - (1.0 - fill) * std::exp(-rate * std::max(0.0, dt_s)), fill, 1.0);
}

double flushed(double fill, double share) {
  return std::clamp(fill, 0.0, 1.0) * (1.0 - std::clamp(share, 0.0, 1.0));
}

}  // namespace outagesim::models
