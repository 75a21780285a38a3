#include "display_format.hpp"

#include "sim/scenario/units.hpp"

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

std::string utc_time_in_run(double start_epoch_s, double t_s) {
  const std::string start = scenario::format_utc_timestamp(start_epoch_s);
  const std::string then = scenario::format_utc_timestamp(start_epoch_s + t_s);
  // ISO-8601: the date is the first ten characters, the time follows the 'T'.
  return then.compare(0, 10, start, 0, 10) == 0 ? then.substr(11) : then;
}

}  // namespace outagesim::metrics
