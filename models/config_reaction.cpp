#include "config_reaction.hpp"

#include <algorithm>

namespace outagesim::models {

double error_rate_after_apply(std::span<const double> error_rate_by_variant, int variant) {
  if (variant < 0 || static_cast<std::size_t>(variant) >= error_rate_by_variant.size()) return 0.0;
  return std::clamp(error_rate_by_variant[static_cast<std::size_t>(variant)], 0.0, 1.0);
}

}  // namespace outagesim::models
