// Units are parsed once, at the scenario boundary, into SI doubles: seconds,
// bytes, bytes per second, requests per second, fractions in [0, 1]. Nothing
// past the loader ever sees "250ms" or "10Gbps".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace outagesim::scenario {

/// The quantity a scenario field holds; decides which suffixes are accepted.
enum class Unit {
  none,       ///< a plain number
  duration,   ///< 250ms 5s 5m 2h 1d -> seconds
  size,       ///< 60KB 1MB 2GiB -> bytes (KB = 1000 B, KiB = 1024 B)
  bandwidth,  ///< 100Mbps 10Gbps 1GB/s -> bytes per second
  rate,       ///< 50k rps, 2000 rps -> requests per second
  fraction,   ///< 28% or 0.28 -> [0, 1]
  offset,     ///< a signed duration: -5h, +5h30m, 0 -> seconds
};

/// The unit's name in the reference and the schema: "duration", "size"...
std::string_view unit_name(Unit unit);

/// What a value of `unit` looks like, for "expected ..." messages.
std::string_view unit_example(Unit unit);

/// A parse result: the value, or a message saying what was expected.
struct ParsedQuantity {
  std::optional<double> value;
  std::string error;
};

/// Parses `text` as a quantity of `unit`. Rejects NaN, infinities and trailing junk.
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
/// Accepts "+25m" (offset), "08:47" or "08:47:30" (offset HH:MM[:SS] from start,
/// as DESIGN.md specifies) and an ISO-8601 UTC timestamp. Returns seconds from
/// start, or an error message.
ParsedQuantity parse_sim_time(std::string_view text, double start_epoch_s);

}  // namespace outagesim::scenario
