// Units are parsed once, at the scenario boundary, into SI doubles: seconds,
// bytes, bytes per second, requests per second, fractions in [0, 1]. Nothing
// past the loader ever sees "250ms" or "10Gbps".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace outagesim::scenario {

/// The quantity a scenario field holds: decides which suffixes are accepted
/// (its grammar) and which values the model can honour (its range, below).
enum class Unit {
  none,       ///< a plain number
  duration,   ///< 250ms 5s 5m 2h 1d -> seconds
  period,     ///< a duration between repeated events (a poll, a check, a sample) -> seconds
  timeout,    ///< a duration a client waits for one attempt -> seconds
  size,       ///< 60KB 1MB 2GiB -> bytes (KB = 1000 B, KiB = 1024 B)
  bandwidth,  ///< 100Mbps 10Gbps 1GB/s -> bytes per second
  rate,       ///< 50k rps, 2000 rps -> requests per second
  fraction,   ///< 28% or 0.28 -> [0, 1]
  offset,     ///< a signed duration: -5h, +5h30m, 0 -> seconds
  latitude,   ///< degrees, a plain number
  longitude,  ///< degrees, a plain number
  hour,       ///< an hour of the day, a plain number
  amount,     ///< people, units of state, requests: a plain non-negative number
  factor,     ///< a multiplier, a plain number
  exponent,   ///< a Zipf exponent, a plain number
};

/// Every unit, in the order the reference lists them.
inline constexpr Unit all_units[] = {Unit::none,     Unit::duration, Unit::period,   Unit::timeout, Unit::size,
                                     Unit::bandwidth, Unit::rate,    Unit::fraction, Unit::offset,  Unit::latitude,
                                     Unit::longitude, Unit::hour,    Unit::amount,    Unit::factor,  Unit::exponent};

/// The unit's name in the reference and the schema: "duration", "size"...
std::string_view unit_name(Unit unit);

/// What a value of `unit` looks like, for "expected ..." messages.
std::string_view unit_example(Unit unit);

/// The unit whose suffixes `unit` is written with: period and timeout are
/// written as durations, latitude... exponent as plain numbers.
Unit unit_grammar(Unit unit);

/// Values a field of one unit may hold: the model cannot honour the others
/// (SimGrid aborts, a loop never ends, a sum overflows). One row per unit,
/// shown in the reference, the JSON Schema and docs/limits.md.
struct Range {
  double min;                 ///< smallest value, in SI units
  double max;                 ///< largest value, in SI units
  double smallest_nonzero;    ///< when min is 0: the smallest other value (0 if none)
  std::string_view text;      ///< the range as a reader writes it: "0, or 1us to 100 years"
  std::string_view reason;    ///< why these bounds
};

/// The range of `unit`.
const Range& unit_range(Unit unit);

/// Why `value` (written `text`) is outside the range of `unit`; empty when inside.
std::string range_error(Unit unit, double value, std::string_view text);

/// Largest integer an integer field (a count of instances, sites, retries...)
/// takes: the 10,000,000 generated sites the reference promises; narrower
/// limits (instances, retries, thresholds) are checked in validate.cpp.
inline constexpr std::uint64_t max_integer = 10'000'000;

/// Seconds in 100 Julian years: the longest duration a scenario may give.
inline constexpr double max_duration_s = 100 * 365.25 * 86400;

/// A parse result: the value, or a message saying what was expected.
struct ParsedQuantity {
  std::optional<double> value;
  std::string error;
};

/// Parses `text` as a quantity of `unit` (by its grammar, without its range).
/// Rejects NaN, infinities (also from a finite number times a large unit) and trailing junk.
ParsedQuantity parse_quantity(std::string_view text, Unit unit);

/// Parses an ISO-8601 UTC timestamp "2025-11-18T11:20:00Z" (seconds optional,
/// fractional seconds accepted) into seconds since the Unix epoch.
std::optional<double> parse_utc_timestamp(std::string_view text);

/// Why `text` is not a valid timestamp: a missing zone, a date that does not
/// exist, or a malformed string. Quotes the text.
std::string utc_timestamp_error(std::string_view text);

/// Formats seconds since the Unix epoch as "2025-11-18T11:20:00Z", with
/// milliseconds only when the time is not a whole second.
std::string format_utc_timestamp(double epoch_s);

/// A point in simulated time, given relative to the run's start.
/// Accepts "+25m" (an offset), "14:30Z" or "14:30:15Z" (a UTC time of day:
/// the first at or after the start) and an ISO-8601 UTC timestamp. A bare
/// "14:30" is refused as ambiguous, with both readings spelt out. Returns
/// seconds from start, or an error message.
ParsedQuantity parse_sim_time(std::string_view text, double start_epoch_s);

}  // namespace outagesim::scenario
