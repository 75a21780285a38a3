#include "dependency_availability.hpp"

namespace outagesim::models {

double site_availability(std::span<const DependencyState> dependencies) {
  double availability = 1.0;
  for (const auto& d : dependencies)
    if (d.strength == DependencyStrength::hard) availability *= d.availability;
  return availability;
}

}  // namespace outagesim::models
