#include "display_format.hpp"

#include <fmt/format.h>

namespace outagesim::metrics {

std::string percent(double fraction) { return fmt::format("{:.4g}%", fraction * 100); }

std::string with_thousands(double value) {
  std::string digits = fmt::format("{:.0f}", value);
  if (digits == "-0") digits = "0";
  std::string out;
  const std::size_t first = digits.front() == '-' ? 1 : 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > first && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace outagesim::metrics
