#include "sweep_quantity.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace outagesim::scenario {

std::optional<SplitQuantity> split_quantity(std::string_view text) {
  std::size_t start = text.size() > 0 && text[0] == '+' ? 1 : 0;
  double number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data() + start, end, number, std::chars_format::fixed);
  if (ec != std::errc{} || !std::isfinite(number)) return std::nullopt;
  return SplitQuantity{number, std::string(ptr, end)};
}

std::string join_quantity(double number, std::string_view suffix) {
  if (number == 0) return fmt::format("0{}", suffix);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(number))));
  const int decimals = std::max(0, 5 - magnitude);
  std::string text = fmt::format("{:.{}f}", number, decimals);
  if (text.find('.') != std::string::npos) {  // 2.500000 -> 2.5, 3.000 -> 3
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text + std::string(suffix);
}

}  // namespace outagesim::scenario
