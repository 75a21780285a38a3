// The statistics of summary.csv and sensitivity.csv, as plain functions of
// vectors of numbers, so each is tested against hand-computed values.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace outagesim::experiment {

struct Summary {
  std::size_t n = 0;
  double mean = 0;
  std::optional<double> sd;        ///< sample standard deviation (n - 1); none for n < 2
  std::optional<double> ci95_low;  ///< mean -/+ t(0.975, n - 1) sd / sqrt(n); none for n < 2
  std::optional<double> ci95_high;
  double q05 = 0, q50 = 0, q95 = 0;  ///< quantiles by linear interpolation (Hyndman and Fan type 7)
};

/// The summary of `values` (n >= 1).
Summary summarise(std::vector<double> values);

/// The 97.5% quantile of Student's t with `df` degrees of freedom (df >= 1).
double student_t_975(std::size_t df);

/// The type 7 quantile of sorted `values` at probability p.
double quantile_sorted(const std::vector<double>& sorted, double p);

/// Spearman's rank correlation of x and y (average ranks for ties); none when
/// either is constant or there are fewer than 3 pairs.
std::optional<double> spearman(const std::vector<double>& x, const std::vector<double>& y);

/// Morris's measures of a factor from its elementary effects (Campolongo et al. 2007):
/// mu* = mean |EE|, mu = mean EE, sigma = sample standard deviation of EE.
struct MorrisMeasures {
  std::size_t effects = 0;
  double mu_star = 0;
  double mu = 0;
  std::optional<double> sigma;
};
MorrisMeasures morris_measures(const std::vector<double>& effects);

}  // namespace outagesim::experiment
