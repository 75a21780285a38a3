// Capacity as a budget of work (docs/models/traffic.md, "Capacity as a
// budget"): an instance has a budget (cores, or workers) and each request
// costs some of it, so the requests per second it serves are the budget over
// the mean cost. A costlier request mix (a share of the requests k times
// dearer) raises the mean cost and lowers the rate by the same factor; a CPU
// cut lowers the budget. Both are then a share of capacity left, which is
// how the rest of the model applies them (`capacity_factor` of an instance).
#pragma once

#include <algorithm>

namespace outagesim::models {

/// Requests per second served by `cores` when one request costs `cost_s` of
/// one core's time (utilisation law: throughput = busy capacity / demand).
inline double budget_capacity(double cores, double cost_s) { return cost_s > 0 ? cores / cost_s : 0.0; }

/// Mean cost of a request, relative to the usual one, when `share` of the
/// requests cost `cost_factor` times as much and the rest as before.
/// Written 1 + share x (k - 1), which is (1 - share) + share x k: a factor
/// of 1 (or a share of 0) gives exactly 1, and a share of 1 exactly k.
inline double mean_cost_factor(double cost_factor, double share = 1.0) {
  const double s = std::clamp(share, 0.0, 1.0);
  return 1.0 + s * (cost_factor - 1.0);
}

/// Share of its capacity (in requests per second) an instance keeps when
/// `share` of its requests cost `cost_factor` times as much: the budget is
/// the same, each request takes more of it.
inline double capacity_left_at_cost(double cost_factor, double share = 1.0) {
  const double mean = mean_cost_factor(cost_factor, share);
  return mean > 0 ? 1.0 / mean : 1.0;
}

}  // namespace outagesim::models
