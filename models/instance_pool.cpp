#include "instance_pool.hpp"

#include <algorithm>

namespace outagesim::models {

double pool_availability(std::span<const InstanceLoad> instances, double offered_rps) {
  double capacity = 0;
  double healthy = 0;
  for (const auto& i : instances) {
    if (!i.up) continue;
    const double effective = i.capacity_rps * std::clamp(i.capacity_factor, 0.0, 1.0);
    capacity += effective;
    healthy += effective * (1.0 - i.error_rate);
  }
  if (capacity <= 0) return 0.0;
  const double quality = healthy / capacity;
  return offered_rps > 0 ? quality * std::min(1.0, capacity / offered_rps) : quality;
}

}  // namespace outagesim::models
