#include "parameter_space.hpp"

#include "sim/scenario/sweep_quantity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace outagesim::experiment {
namespace {

double number_of(const std::string& text) {
  auto split = scenario::split_quantity(text);
  if (!split) throw std::logic_error("sweep bound '" + text + "' was not checked");
  return split->number;
}

}  // namespace

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double low = 0.02425;
  double x = 0;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - low) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step brings the approximation (1e-9 relative) to double precision.
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

Factor::Factor(const scenario::SweepParameter& p) : path_(p.path) {
  if (!p.values.empty()) {
    levels_ = p.values;
    words_ = std::any_of(levels_.begin(), levels_.end(), [](const std::string& v) { return !scenario::split_quantity(v); });
    return;
  }
  if (!p.from.empty()) {
    const auto from = *scenario::split_quantity(p.from);
    const double to = number_of(p.to), step = number_of(p.step);
    const auto count = static_cast<std::size_t>(std::floor((to - from.number) / step + 1e-9)) + 1;
    for (std::size_t i = 0; i < count; ++i)
      levels_.push_back(scenario::join_quantity(from.number + static_cast<double>(i) * step, from.suffix));
    return;
  }
  dist_ = *p.dist;
  for (const std::string* text : {&p.min, &p.max, &p.mean, &p.sd, &p.mode})
    if (!text->empty()) suffix_ = scenario::split_quantity(*text)->suffix;
  has_min_ = !p.min.empty();
  has_max_ = !p.max.empty();
  if (has_min_) min_ = number_of(p.min);
  if (has_max_) max_ = number_of(p.max);
  if (!p.mean.empty()) mean_ = number_of(p.mean);
  if (!p.sd.empty()) sd_ = number_of(p.sd);
  if (!p.mode.empty()) mode_ = number_of(p.mode);
}

double Factor::quantile(double u) const {
  using scenario::ParameterDistribution;
  switch (dist_) {
    case ParameterDistribution::uniform: return min_ + u * (max_ - min_);
    case ParameterDistribution::log_uniform: return std::exp(std::log(min_) + u * (std::log(max_) - std::log(min_)));
    case ParameterDistribution::normal: {
      // Truncation: u spans only the probability mass inside [min, max].
      const double lo = has_min_ ? normal_cdf((min_ - mean_) / sd_) : 0.0;
      const double hi = has_max_ ? normal_cdf((max_ - mean_) / sd_) : 1.0;
      const double p = std::clamp(lo + u * (hi - lo), 1e-12, 1 - 1e-12);
      double x = mean_ + sd_ * normal_quantile(p);
      if (has_min_) x = std::max(x, min_);
      if (has_max_) x = std::min(x, max_);
      return x;
    }
    case ParameterDistribution::triangular: {
      const double split = (mode_ - min_) / (max_ - min_);
      if (u < split) return min_ + std::sqrt(u * (max_ - min_) * (mode_ - min_));
      return max_ - std::sqrt((1 - u) * (max_ - min_) * (max_ - mode_));
    }
  }
  throw std::logic_error("unknown parameter distribution");
}

std::string Factor::value_at(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  if (discrete()) {
    const auto index = std::min(levels_.size() - 1, static_cast<std::size_t>(u * static_cast<double>(levels_.size())));
    return levels_[index];
  }
  const double x = quantile(u);
  std::string text = scenario::join_quantity(x, suffix_);
  // Rounding to six digits must not step outside the support.
  const double written = number_of(text);
  if ((has_min_ && written < min_) || (has_max_ && written > max_))
    text = scenario::join_quantity(written < min_ ? min_ : max_, suffix_);
  return text;
}

double Factor::number(const std::string& value) const {
  if (words_) {
    const auto it = std::find(levels_.begin(), levels_.end(), value);
    return static_cast<double>(it - levels_.begin());
  }
  return number_of(value);
}

}  // namespace outagesim::experiment
