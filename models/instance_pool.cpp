#include "instance_pool.hpp"

namespace outagesim::models {

double pool_availability(std::span<const InstanceLoad> instances) {
  double capacity = 0;
  double served = 0;
  for (const auto& i : instances) {
    capacity += i.capacity_rps;
    served += i.capacity_rps * (1.0 - i.error_rate);
  }
  return capacity > 0 ? served / capacity : 0.0;
}

}  // namespace outagesim::models
