#include "draw.hpp"

#include "models/rng.hpp"

#include <algorithm>
#include <cmath>

namespace outagesim::world {

double draw(const scenario::Distribution& d, std::uint64_t seed, std::string_view key) {
  models::Rng rng(seed, key);
  switch (d.kind) {
    case scenario::DistributionKind::fixed: return d.value;
    case scenario::DistributionKind::uniform: return d.min + rng.uniform() * (d.max - d.min);
    case scenario::DistributionKind::exp: return -d.mean * std::log(1.0 - rng.uniform());
    case scenario::DistributionKind::lognormal: {
      // median = e^mu; p95 = e^(mu + 1.6449 sigma), 1.6449 the standard normal's 95th percentile.
      const double sigma = std::log(d.p95 / d.median) / 1.6448536269514722;
      return d.median * std::exp(sigma * rng.normal());
    }
  }
  return d.value;
}

double draw_time(const scenario::TimeSpec& t, std::uint64_t seed, std::string_view key, double duration_s) {
  if (!t.draw) return t.at_s;
  return std::clamp(draw(*t.draw, seed, key), 0.0, duration_s);
}

}  // namespace outagesim::world
