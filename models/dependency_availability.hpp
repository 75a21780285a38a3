// How a site's availability follows from the services it depends on.
// A hard dependency fails the request when it fails; independent hard
// dependencies therefore multiply. A soft dependency degrades a feature or
// latency but never fails the request, so it does not enter availability.
#pragma once

#include <span>

namespace outagesim::models {

enum class DependencyStrength { hard, soft };

struct DependencyState {
  DependencyStrength strength = DependencyStrength::hard;
  double availability = 1.0;  ///< share of requests the dependency serves, [0, 1]
};

/// Share of a site's requests that succeed, given its dependencies, assuming
/// their failures are independent (a request needs every hard dependency).
double site_availability(std::span<const DependencyState> dependencies);

}  // namespace outagesim::models
