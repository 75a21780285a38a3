// How numbers and times are shown to people (the HTML pages, the terminal
// summary), in one place so that they and the tests that read them back agree.
#pragma once

#include <string>

namespace outagesim::metrics {

/// 0.32691 -> "32.69%": four significant digits.
std::string percent(double fraction);

/// 157500000 -> "157,500,000": rounded to a whole number.
std::string with_thousands(double value);

/// A time `t_s` seconds after a run's start, in UTC: "23:30:00Z" on the
/// start's UTC day, with its date ("2025-06-12T23:30:00Z") on any other day.
std::string utc_time_in_run(double start_epoch_s, double t_s);

}  // namespace outagesim::metrics
