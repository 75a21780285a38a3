#include "remediation_pace.hpp"

#include <algorithm>

namespace outagesim::models {

std::vector<double> remediation_times(std::size_t count, int staff, double per_instance_s, double ramp_up_s) {
  std::vector<double> free_at(static_cast<std::size_t>(std::max(staff, 1)));
  for (std::size_t m = 0; m < free_at.size(); ++m)
    free_at[m] = ramp_up_s * static_cast<double>(m) / static_cast<double>(free_at.size());
  std::vector<double> out;
  out.reserve(count);
  for (std::size_t j = 0; j < count; ++j) {
    // The first free person (the lowest-numbered on a tie) takes the next one.
    auto next = std::min_element(free_at.begin(), free_at.end());
    *next += per_instance_s;
    out.push_back(*next);
  }
  return out;
}

}  // namespace outagesim::models
