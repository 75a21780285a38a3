// How numbers are shown to people in the HTML pages, in one place so that the
// report, the comparison and the tests that read them back agree.
#pragma once

#include <string>

namespace outagesim::metrics {

/// 0.32691 -> "32.69%": four significant digits.
std::string percent(double fraction);

/// 157500000 -> "157,500,000": rounded to a whole number.
std::string with_thousands(double value);

}  // namespace outagesim::metrics
