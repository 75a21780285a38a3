// A service is a pool of instances sharing its traffic. Until the traffic
// model routes requests by region and capacity, each instance takes traffic
// in proportion to its capacity, as a global anycast with equal load factors
// would give.
#pragma once

#include <span>

namespace outagesim::models {

struct InstanceLoad {
  double capacity_rps = 0;  ///< weight of the instance in the pool's traffic
  double error_rate = 0;    ///< share of its requests that fail, [0, 1]
};

/// Share of the pool's requests that succeed: the capacity-weighted mean of
/// (1 - error rate). An empty or zero-capacity pool serves nothing: 0.
double pool_availability(std::span<const InstanceLoad> instances);

}  // namespace outagesim::models
