#include "knee.hpp"

namespace outagesim::experiment {

std::optional<Knee> knee_of(const std::vector<double>& x, const std::vector<double>& y, double min_distance) {
  const std::size_t n = x.size();
  if (n < 3 || y.size() != n) return std::nullopt;
  const double dx = x.back() - x.front(), dy = y.back() - y.front();
  if (!(dx > 0) || dy == 0) return std::nullopt;
  for (std::size_t i = 1; i < n; ++i)
    if (!(x[i] > x[i - 1]) || (y[i] - y[i - 1]) * dy < 0) return std::nullopt;
  std::optional<Knee> best;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double ahead = (y[i] - y.front()) / dy - (x[i] - x.front()) / dx;
    if (ahead >= min_distance && (!best || ahead > best->distance)) best = Knee{i, ahead};
  }
  return best;
}

}  // namespace outagesim::experiment
