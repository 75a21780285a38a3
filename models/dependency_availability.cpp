#include "dependency_availability.hpp"

#include "look_aside_cache.hpp"

#include <algorithm>

namespace outagesim::models {

double at_least_k_working(std::span<const double> availability, int k) {
  if (k <= 0) return 1.0;
  const auto n = availability.size();
  if (static_cast<std::size_t>(k) > n) return 0.0;
  // working[j]: probability that exactly j of the components seen so far work.
  std::vector<double> working(n + 1, 0.0);
  working[0] = 1.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = availability[i];
    for (std::size_t j = i + 1; j > 0; --j) working[j] = working[j] * (1 - a) + working[j - 1] * a;
    working[0] *= 1 - a;
  }
  double p = 0;
  for (std::size_t j = static_cast<std::size_t>(k); j <= n; ++j) p += working[j];
  return std::clamp(p, 0.0, 1.0);
}

double dependency_availability(const DependencyState& d) {
  double a = 1.0;
  switch (d.rule) {
    case DependencyRule::soft: return 1.0;
    case DependencyRule::hard:
      for (double x : d.availability) a *= x;
      break;
    case DependencyRule::any_of: a = at_least_k_working(d.availability, 1); break;
    case DependencyRule::k_of_n: a = at_least_k_working(d.availability, d.k); break;
    case DependencyRule::look_aside:
      a = look_aside_availability(d.hit_rate, d.availability[0], d.availability[1]);
      break;
  }
  return 1.0 - d.share * (1.0 - a);
}

double site_availability(std::span<const DependencyState> dependencies) {
  double availability = 1.0;
  for (const auto& d : dependencies) availability *= dependency_availability(d);
  return availability;
}

}  // namespace outagesim::models
