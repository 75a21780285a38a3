// How numbers and times are shown to people (the terminal summaries of run,
// validate and compare, report.html, compare.html), in one place so that they
// all read alike and agree with the tests that read them back. Durations,
// rates, sizes and bandwidths are written in the scenario language, so a
// value shown can be pasted back into a scenario or a --set.
#pragma once

#include <string>

namespace outagesim::metrics {

/// 0.32691 -> "32.69%": four significant digits, never an exponent.
std::string percent(double fraction);

/// A difference of two fractions in percentage points, signed: "+1.5 pp", "-0.25 pp", "0 pp".
std::string percentage_points(double difference);

/// 157500000 -> "157,500,000": rounded to a whole number.
std::string with_thousands(double value);

/// A count with its sign when positive, for differences: "+1,200", "-3", "0".
std::string signed_thousands(double value);

/// Seconds as a duration: "0s", "2.87ms", "42s", "20m00s", "14h30m00s",
/// "1d02h00m00s"; from a minute up, whole seconds with milliseconds when
/// there are any ("10m00.003s"). Negative durations get a leading '-'.
std::string duration(double seconds);

/// A signed duration, as an offset from a run's start or a difference of two
/// times: "+20m00s", "-5m00s", "+0s".
std::string offset(double seconds);

/// Requests per second: "950 rps", "2.5k rps", "1.2M rps" (four significant digits).
std::string rate(double rps);

/// Bytes in powers of 1000: "950B", "60KB", "5MB", "1.5GB".
std::string size(double bytes);

/// Bytes per second, shown in bits as links are: "100Mbps", "10Gbps".
std::string bandwidth(double bytes_per_s);

/// A time `t_s` seconds after a run's start, in UTC: "23:30:00Z" on the
/// start's UTC day, with its date ("2025-06-12T23:30:00Z") on any other day.
std::string utc_time_in_run(double start_epoch_s, double t_s);

/// A time in a run for people: the UTC time and the offset from the start,
/// "14:10:00Z (+10m00s)".
std::string time_in_run(double start_epoch_s, double t_s);

/// Seconds since the Unix epoch with one precision for machine-read files
/// (events.jsonl, timeseries.csv): "2025-11-18T11:20:00.000Z", milliseconds always.
std::string utc_timestamp_ms(double epoch_s);

}  // namespace outagesim::metrics
