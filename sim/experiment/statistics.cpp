#include "statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace outagesim::experiment {
namespace {

/// Summed as offsets from the first value, so that equal values give exactly that value.
double mean_of(const std::vector<double>& v) {
  double offsets = 0;
  for (double x : v) offsets += x - v.front();
  return v.front() + offsets / static_cast<double>(v.size());
}

std::optional<double> sd_of(const std::vector<double>& v, double mean) {
  if (v.size() < 2) return std::nullopt;
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return std::sqrt(sum / static_cast<double>(v.size() - 1));
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = average;
    i = j + 1;
  }
  return rank;
}

}  // namespace

double student_t_975(std::size_t df) {
  if (df == 0) throw std::invalid_argument("student_t_975: df must be positive");
  // Exact to the digits printed in tables for small df, where the expansion below is poor.
  static constexpr double table[] = {12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
                                     2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
                                     2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546,
                                     2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447,
                                     2.079613845, 2.073873068, 2.068657610, 2.063898562, 2.059538553,
                                     2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};
  if (df <= 30) return table[df - 1];
  // Cornish-Fisher expansion around the normal quantile (Abramowitz and Stegun 26.7.5), < 1e-6 for df > 30.
  const double z = 1.959963984540054, v = static_cast<double>(df);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
         (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

double quantile_sorted(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto low = static_cast<std::size_t>(std::floor(h));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (h - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

Summary summarise(std::vector<double> values) {
  if (values.empty()) throw std::invalid_argument("summarise: no values");
  Summary s;
  s.n = values.size();
  s.mean = mean_of(values);
  s.sd = sd_of(values, s.mean);
  if (s.sd) {
    const double half = student_t_975(s.n - 1) * *s.sd / std::sqrt(static_cast<double>(s.n));
    s.ci95_low = s.mean - half;
    s.ci95_high = s.mean + half;
  }
  std::sort(values.begin(), values.end());
  s.q05 = quantile_sorted(values, 0.05);
  s.q50 = quantile_sorted(values, 0.5);
  s.q95 = quantile_sorted(values, 0.95);
  return s;
}

std::optional<double> spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 3) return std::nullopt;
  const std::vector<double> rx = ranks(x), ry = ranks(y);
  const double mx = mean_of(rx), my = mean_of(ry);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < rx.size(); ++i) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) * (rx[i] - mx);
    syy += (ry[i] - my) * (ry[i] - my);
  }
  if (sxx == 0 || syy == 0) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

MorrisMeasures morris_measures(const std::vector<double>& effects) {
  MorrisMeasures m;
  m.effects = effects.size();
  if (effects.empty()) return m;
  double absolute = 0;
  for (double e : effects) absolute += std::fabs(e);
  m.mu_star = absolute / static_cast<double>(effects.size());
  m.mu = mean_of(effects);
  m.sigma = sd_of(effects, m.mu);
  return m;
}

}  // namespace outagesim::experiment
