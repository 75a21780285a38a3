// A sweep parameter resolved into what the designs need: a map from the unit
// interval to the value text written into the scenario. Lists and ranges are
// discrete (u picks one of their values); distributions map u through their
// quantile function. Every parameter also has a number for statistics and
// sensitivity: the value in the unit of its bounds, or for a list of words
// its position in the list.
#pragma once

#include "sim/scenario/sweep_spec.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace outagesim::experiment {

class Factor {
 public:
  /// From a parameter the sweep loader has checked.
  explicit Factor(const scenario::SweepParameter& parameter);

  [[nodiscard]] const std::string& path() const { return path_; }
  /// Lists and ranges: their values, in order; distributions: none.
  [[nodiscard]] const std::vector<std::string>& levels() const { return levels_; }
  [[nodiscard]] bool discrete() const { return !levels_.empty(); }

  /// The value at u in [0, 1]: levels()[floor(u * count)] (u = 1: the last),
  /// or the distribution's quantile at u (a normal's u is kept inside (0, 1)).
  [[nodiscard]] std::string value_at(double u) const;

  /// The number a value stands for (see the file comment).
  [[nodiscard]] double number(const std::string& value) const;

 private:
  [[nodiscard]] double quantile(double u) const;

  std::string path_;
  std::vector<std::string> levels_;
  bool words_ = false;  ///< a list that is not all numbers: numbers are positions
  scenario::ParameterDistribution dist_{};
  double min_ = 0, max_ = 0, mean_ = 0, sd_ = 0, mode_ = 0;
  bool has_min_ = false, has_max_ = false;
  std::string suffix_;
};

/// The standard normal's cumulative distribution function.
double normal_cdf(double x);
/// Its inverse, for p in (0, 1) (Acklam's rational approximation refined by one Halley step).
double normal_quantile(double p);

}  // namespace outagesim::experiment
