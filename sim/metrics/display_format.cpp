#include "display_format.hpp"

#include "sim/scenario/units.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

/// `value` with `digits` significant digits in fixed notation, trailing zeros
/// dropped: 32.691 -> "32.69", 1e-7 -> "0.0000001", never "1e-07".
std::string significant(double value, int digits) {
  if (value == 0 || !std::isfinite(value)) return value == 0 ? "0" : fmt::format("{}", value);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  std::string text = fmt::format("{:.{}f}", value, std::max(0, digits - 1 - magnitude));
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

/// `value` scaled by the largest step of `steps` (factor, suffix) it reaches.
struct Step {
  double factor;
  const char* suffix;
};
template <std::size_t N>
std::string scaled(double value, const Step (&steps)[N]) {
  const Step* chosen = &steps[0];
  for (const Step& s : steps)
    if (std::fabs(value) >= s.factor) chosen = &s;
  return significant(value / chosen->factor, 4) + chosen->suffix;
}

}  // namespace

std::string percent(double fraction) { return significant(fraction * 100, 4) + "%"; }

std::string percentage_points(double difference) {
  return fmt::format("{}{} pp", difference > 0 ? "+" : "", significant(difference * 100, 4));
}

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

std::string signed_thousands(double value) {
  const std::string text = with_thousands(value);
  return text != "0" && text.front() != '-' ? fmt::format("+{}", text) : text;
}

std::string duration(double seconds) {
  if (seconds < 0) return fmt::format("-{}", duration(-seconds));
  if (seconds == 0) return "0s";
  if (seconds < 1) return significant(seconds * 1000, 4) + "ms";
  // From a second up, to the millisecond: what the engine's events resolve.
  const long long millis = std::llround(seconds * 1000);
  const long long whole = millis / 1000;
  const std::string fraction = millis % 1000 != 0 ? fmt::format(".{:03}", millis % 1000) : std::string();
  if (whole < 60) return fmt::format("{}{}s", whole, fraction);
  const long long days = whole / 86400, hours = whole % 86400 / 3600, minutes = whole % 3600 / 60;
  std::string text;
  if (days > 0) text = fmt::format("{}d{:02}h{:02}m", days, hours, minutes);
  else if (hours > 0) text = fmt::format("{}h{:02}m", hours, minutes);
  else text = fmt::format("{}m", minutes);
  return text + fmt::format("{:02}{}s", whole % 60, fraction);
}

std::string offset(double seconds) { return seconds >= 0 ? fmt::format("+{}", duration(seconds)) : duration(seconds); }

std::string rate(double rps) {
  static constexpr Step steps[] = {{1, " rps"}, {1e3, "k rps"}, {1e6, "M rps"}};
  return rps == 0 ? "0 rps" : scaled(rps, steps);
}

std::string size(double bytes) {
  static constexpr Step steps[] = {{1, "B"}, {1e3, "KB"}, {1e6, "MB"}, {1e9, "GB"}};
  return bytes == 0 ? "0B" : scaled(bytes, steps);
}

std::string bandwidth(double bytes_per_s) {
  static constexpr Step steps[] = {{1, "bps"}, {1e3, "kbps"}, {1e6, "Mbps"}, {1e9, "Gbps"}, {1e12, "Tbps"}};
  return bytes_per_s == 0 ? "0bps" : scaled(bytes_per_s * 8, steps);
}

std::string utc_time_in_run(double start_epoch_s, double t_s) {
  const std::string start = scenario::format_utc_timestamp(start_epoch_s);
  const std::string then = scenario::format_utc_timestamp(start_epoch_s + t_s);
  // ISO-8601: the date is the first ten characters, the time follows the 'T'.
  return then.compare(0, 10, start, 0, 10) == 0 ? then.substr(11) : then;
}

std::string time_in_run(double start_epoch_s, double t_s) {
  return fmt::format("{} ({})", utc_time_in_run(start_epoch_s, t_s), offset(t_s));
}

std::string utc_timestamp_ms(double epoch_s) {
  std::string text = scenario::format_utc_timestamp(epoch_s);  // milliseconds only when not whole
  if (text.find('.') == std::string::npos) text.insert(text.size() - 1, ".000");
  return text;
}

}  // namespace outagesim::metrics
