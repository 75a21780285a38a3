// A sweep parameter's bound as the scenario writes it ("30%", "2m",
// "100k rps"): its number and the suffix after it. A value drawn between
// bounds is written back with the same suffix, so the scenario loader parses
// and range-checks it like any value of the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace outagesim::scenario {

struct SplitQuantity {
  double number = 0;
  std::string suffix;  ///< everything after the number, spaces included: "%", "m", "k rps"
};

/// Splits "2.5m" into {2.5, "m"}; none when the text does not start with a finite number.
std::optional<SplitQuantity> split_quantity(std::string_view text);

/// Writes `number` with six significant digits and no exponent, then `suffix`: (2.5, "m") -> "2.5m".
std::string join_quantity(double number, std::string_view suffix);

}  // namespace outagesim::scenario
