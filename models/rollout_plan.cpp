#include "rollout_plan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace outagesim::models {

std::vector<int> rollout_order(std::size_t n, Rng& rng) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t k = n; k > 1; --k)
    std::swap(order[k - 1], order[static_cast<std::size_t>(rng.uniform() * static_cast<double>(k))]);
  return order;
}

std::vector<std::size_t> wave_ends(std::span<const double> fractions, std::size_t n) {
  std::vector<std::size_t> ends;
  std::size_t previous = 0;
  for (double fraction : fractions) {
    // The small epsilon keeps 30% of 10 at 3, not 4, despite rounding.
    auto end = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(n) - 1e-9));
    end = std::clamp(end, previous, n);
    ends.push_back(end);
    previous = end;
  }
  return ends;
}

std::vector<std::size_t> tree_children(std::size_t position, std::size_t fanout, std::size_t n) {
  std::vector<std::size_t> children;
  const std::size_t first = (position + 1) * fanout;
  for (std::size_t p = first; p < std::min(first + fanout, n); ++p) children.push_back(p);
  return children;
}

double updated_error_rate(std::span<const double> error_rates) {
  if (error_rates.empty()) return 0.0;
  return std::accumulate(error_rates.begin(), error_rates.end(), 0.0) / static_cast<double>(error_rates.size());
}

}  // namespace outagesim::models
