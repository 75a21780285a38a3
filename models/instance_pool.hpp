// A service is a pool of instances sharing its traffic. Until the traffic
// model routes requests by region, each instance takes traffic in proportion
// to its effective capacity, as a global anycast with equal load factors
// would give; when the pool's effective capacity falls below the load offered
// to it, the excess fails (a fluid approximation: no queues, no retries yet).
#pragma once

#include <span>

namespace outagesim::models {

struct InstanceLoad {
  double capacity_rps = 0;     ///< nominal capacity
  double error_rate = 0;       ///< share of its requests that fail, [0, 1]
  bool up = true;              ///< a down instance serves nothing and takes no traffic
  double capacity_factor = 1;  ///< share of its capacity left, [0, 1]
};

/// Share of the pool's requests that succeed: the effective-capacity-weighted
/// mean of (1 - error rate), times min(1, effective capacity / offered load).
/// `offered_rps` <= 0 means the load is unknown: capacity does not limit.
/// A pool with no effective capacity serves nothing: 0.
double pool_availability(std::span<const InstanceLoad> instances, double offered_rps = 0);

}  // namespace outagesim::models
