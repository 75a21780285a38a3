#include "units.hpp"

#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

constexpr std::array duration_suffixes{Suffix{"ms", 1e-3}, Suffix{"s", 1.0}, Suffix{"m", 60.0},
                                       Suffix{"min", 60.0}, Suffix{"h", 3600.0}, Suffix{"d", 86400.0}};
constexpr std::array size_suffixes{Suffix{"B", 1.0},          Suffix{"KB", 1e3},
                                   Suffix{"MB", 1e6},         Suffix{"GB", 1e9},
                                   Suffix{"KiB", 1024.0},     Suffix{"MiB", 1048576.0},
                                   Suffix{"GiB", 1073741824.0}};
// Bandwidth is stored in bytes per second, as SimGrid expects.
constexpr std::array bandwidth_suffixes{Suffix{"bps", 1.0 / 8},    Suffix{"kbps", 1e3 / 8},
                                        Suffix{"Kbps", 1e3 / 8},   Suffix{"Mbps", 1e6 / 8},
                                        Suffix{"Gbps", 1e9 / 8},   Suffix{"Tbps", 1e12 / 8},
                                        Suffix{"B/s", 1.0},        Suffix{"KB/s", 1e3},
                                        Suffix{"MB/s", 1e6},       Suffix{"GB/s", 1e9}};
constexpr std::array rate_suffixes{Suffix{"rps", 1.0}, Suffix{"k rps", 1e3}, Suffix{"krps", 1e3},
                                   Suffix{"M rps", 1e6}, Suffix{"Mrps", 1e6}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits "12.5 MB" into the number and the rest; nullopt when no number leads.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  text = trim(text);
  double number = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;  // from_chars rejects a leading '+'
  auto [ptr, ec] = std::from_chars(first, last, number);
  if (ec != std::errc{} || !std::isfinite(number)) return std::nullopt;
  return std::pair{number, trim(std::string_view(ptr, static_cast<std::size_t>(last - ptr)))};
}

template <std::size_t N>
std::optional<double> scale(double number, std::string_view suffix, const std::array<Suffix, N>& table) {
  for (const auto& s : table)
    if (s.text == suffix) return number * s.factor;
  return std::nullopt;
}

/// "1h30m", "2m30s", "250ms", "0": components in any order of units, each a
/// number and a suffix. A bare 0 is unambiguous; any other bare number is not.
std::optional<double> parse_compound_duration(std::string_view text) {
  text = trim(text);
  if (text == "0") return 0.0;
  double total = 0;
  bool any = false;
  while (!text.empty()) {
    double number = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc{} || !std::isfinite(number)) return std::nullopt;
    std::size_t used = static_cast<std::size_t>(ptr - text.data());
    std::size_t letters = used;
    while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters]))) ++letters;
    auto scaled = scale(number, text.substr(used, letters - used), duration_suffixes);
    if (!scaled) return std::nullopt;
    total += *scaled;
    any = true;
    text.remove_prefix(letters);
  }
  return any ? std::optional(total) : std::nullopt;
}

ParsedQuantity expected(Unit unit, std::string_view text) {
  // A bare number where the unit has several scales (seconds or minutes, bits
  // or bytes): the writer picks one, so the message names the unit to add.
  auto bare = split_number(text);
  if (bare && bare->second.empty() && bare->first != 0) {
    const std::string number(trim(text));
    switch (unit_grammar(unit)) {
      case Unit::duration:
      case Unit::offset:
        return {std::nullopt, fmt::format("expected {}, got '{}' (a bare number has no unit: write {}s, {}m or {}h)",
                                          unit_example(unit), text, number, number, number)};
      case Unit::size:
        return {std::nullopt, fmt::format("expected {}, got '{}' (a bare number has no unit: write {}B for bytes)",
                                          unit_example(unit), text, number)};
      case Unit::bandwidth:
        return {std::nullopt, fmt::format("expected {}, got '{}' (a bare number has no unit: write {}bps for bits or "
                                          "{}B/s for bytes per second)",
                                          unit_example(unit), text, number, number)};
      default: break;
    }
  }
  return {std::nullopt, fmt::format("expected {}, got '{}'", unit_example(unit), text)};
}

}  // namespace

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::none: return "number";
    case Unit::duration: return "duration";
    case Unit::period: return "period";
    case Unit::timeout: return "timeout";
    case Unit::size: return "size";
    case Unit::bandwidth: return "bandwidth";
    case Unit::rate: return "rate";
    case Unit::fraction: return "fraction";
    case Unit::offset: return "offset";
    case Unit::latitude: return "latitude";
    case Unit::longitude: return "longitude";
    case Unit::hour: return "hour";
    case Unit::amount: return "amount";
    case Unit::factor: return "factor";
    case Unit::exponent: return "exponent";
  }
  return "value";
}

std::string_view unit_example(Unit unit) {
  switch (unit) {
    case Unit::none: return "a number";
    case Unit::duration: return "a duration such as 250ms, 5s, 5m, 1h30m or 1d";
    case Unit::period: return "a period such as 250ms, 5s, 5m or 1h";
    case Unit::timeout: return "a timeout such as 500ms, 2s or 1m";
    case Unit::size: return "a size such as 60KB, 1MB or 2GiB";
    case Unit::bandwidth: return "a bandwidth such as 100Mbps, 10Gbps or 1GB/s";
    case Unit::rate: return "a request rate such as 2000 rps, 50k rps or 2000 (requests per second)";
    case Unit::fraction: return "a fraction such as 28% or 0.28";
    case Unit::offset: return "a signed duration such as -5h, +5h30m or 0";
    case Unit::latitude: return "a latitude in degrees such as 51.5";
    case Unit::longitude: return "a longitude in degrees such as -0.12";
    case Unit::hour: return "an hour of the day such as 20 or 8.5";
    case Unit::amount: return "a number such as 2000 or 1.5e6";
    case Unit::factor: return "a multiplier such as 1.5 or 10";
    case Unit::exponent: return "an exponent such as 1 or 0.8";
  }
  return "a value";
}

Unit unit_grammar(Unit unit) {
  switch (unit) {
    case Unit::period:
    case Unit::timeout: return Unit::duration;
    case Unit::latitude:
    case Unit::longitude:
    case Unit::hour:
    case Unit::amount:
    case Unit::factor:
    case Unit::exponent: return Unit::none;
    default: return unit;
  }
}

const Range& unit_range(Unit unit) {
  // Durations: SimGrid's clock is a double of seconds; over 100 years it
  // still resolves microseconds, and a lognormal drawn from parameters in
  // this range stays finite. Periods have a floor so that repeated events
  // stay countable (validate.cpp also caps duration / period).
  static const Range none{-1e15, 1e15, 0, "-1e15 to 1e15", "any finite number of a size a double sums exactly"};
  static const Range duration{0, max_duration_s, 1e-6, "0, or 1 microsecond to 100 years",
                              "SimGrid keeps time in double seconds: 100 years still resolve microseconds, and "
                              "no distribution drawn from these bounds overflows"};
  static const Range period{1e-3, max_duration_s, 0, "1ms to 100 years",
                            "something happens once per period; below 1ms the events of one run grow without a "
                            "useful bound (the run's duration / period is capped too)"};
  static const Range timeout{1e-3, 3600, 0, "1ms to 1h",
                             "attempts and their retries are tracked step by step until their timeout; clients "
                             "give up within minutes, and an hour bounds that memory"};
  static const Range size{0, 1e12, 1, "0, or 1B to 1TB",
                          "a config version's size; beyond 1TB no link moves it within a run, and bytes stay exact"};
  static const Range bandwidth{0, 1e15 / 8, 1e3 / 8, "0, or 1kbps to 1Pbps",
                               "no link carries more than a petabit per second, and an infinite bandwidth makes "
                               "SimGrid's solver fail (\"The Impossible Did Happen\"); below 1kbps a transfer "
                               "outlasts any run"};
  static const Range rate{0, 1e10, 1e-6, "0, or 1e-6 to 1e10 rps",
                          "about 100 times the busiest network's traffic; sums over 10 million sites stay finite "
                          "and precise"};
  static const Range fraction{0, 1, 0, "0% to 100%", "a share of a whole"};
  static const Range offset{-max_duration_s, max_duration_s, 0, "-100 years to 100 years", "as durations"};
  static const Range latitude{-90, 90, 0, "-90 to 90", "degrees north"};
  static const Range longitude{-180, 180, 0, "-180 to 180", "degrees east"};
  static const Range hour{0, 24, 0, "0 to 24", "an hour of the day"};
  static const Range amount{0, 1e12, 0, "0 to 1e12",
                           "more than the people on earth or any real count of requests or state, and exact in "
                           "a double"};
  static const Range factor{0, 1e6, 1e-6, "0, or 1e-6 to 1e6",
                            "a multiplier of load or capacity; beyond these, rates leave the rate range"};
  static const Range exponent{0, 10, 0, "0 to 10", "a Zipf exponent; beyond 10 every request goes to one site"};
  switch (unit) {
    case Unit::none: return none;
    case Unit::duration: return duration;
    case Unit::period: return period;
    case Unit::timeout: return timeout;
    case Unit::size: return size;
    case Unit::bandwidth: return bandwidth;
    case Unit::rate: return rate;
    case Unit::fraction: return fraction;
    case Unit::offset: return offset;
    case Unit::latitude: return latitude;
    case Unit::longitude: return longitude;
    case Unit::hour: return hour;
    case Unit::amount: return amount;
    case Unit::factor: return factor;
    case Unit::exponent: return exponent;
  }
  return none;
}

std::string range_error(Unit unit, double value, std::string_view text) {
  const Range& range = unit_range(unit);
  const bool inside = value >= range.min && value <= range.max &&
                      !(value != 0 && range.min == 0 && std::abs(value) < range.smallest_nonzero);
  if (inside) return {};
  // "percent: 30": a bare number in a fraction is a share of 1, and 30 of
  // them is no share; the writer most likely meant 30%.
  if (unit_grammar(unit) == Unit::fraction && value > 1 && value <= 100 && text.find('%') == std::string_view::npos)
    return fmt::format("'{}' is out of range: a {} is {}; a bare number is a share of 1 (0.3 is 30%): write {}% "
                       "for {} per cent",
                       text, unit_name(unit), range.text, trim(text), trim(text));
  return fmt::format("'{}' is out of range: a {} is {}", text, unit_name(unit), range.text);
}

namespace {

/// `text` read in the suffixes of `grammar`, or nullopt; may be infinite
/// when a finite number times a large unit overflows.
std::optional<double> read_in_grammar(std::string_view text, Unit grammar) {
  if (grammar == Unit::offset) {
    // A duration with an optional sign.
    std::string_view rest = trim(text);
    double sign = 1;
    if (!rest.empty() && (rest.front() == '-' || rest.front() == '+')) {
      sign = rest.front() == '-' ? -1 : 1;
      rest.remove_prefix(1);
    }
    auto magnitude = read_in_grammar(rest, Unit::duration);
    return magnitude ? std::optional(sign * *magnitude) : std::nullopt;
  }
  auto split = split_number(text);
  if (!split) return std::nullopt;
  auto [number, suffix] = *split;
  switch (grammar) {
    case Unit::none: return suffix.empty() ? std::optional(number) : std::nullopt;
    case Unit::duration: return parse_compound_duration(text);
    case Unit::size: return scale(number, suffix, size_suffixes);
    case Unit::bandwidth: return scale(number, suffix, bandwidth_suffixes);
    // Requests per second is the only rate there is: a bare number is one.
    case Unit::rate: return suffix.empty() ? std::optional(number) : scale(number, suffix, rate_suffixes);
    case Unit::fraction:
      if (suffix == "%") return number / 100.0;
      if (suffix.empty()) return number;
      return std::nullopt;
    default: return std::nullopt;  // not a grammar of its own
  }
}

}  // namespace

ParsedQuantity parse_quantity(std::string_view text, Unit unit) {
  auto value = read_in_grammar(text, unit_grammar(unit));
  if (!value) return expected(unit, text);
  // 1e308 is finite, 1e308d is not: the unit's factor can overflow.
  if (!std::isfinite(*value))
    return {std::nullopt, fmt::format("'{}' is out of range: it overflows; a {} is {}", text, unit_name(unit),
                                      unit_range(unit).text)};
  return {value, {}};
}

std::optional<double> parse_utc_timestamp(std::string_view text) {
  text = trim(text);
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double second = 0;
  std::string owned(text);
  int consumed = 0;
  // YYYY-MM-DDTHH:MM[:SS[.fff]]Z
  if (std::sscanf(owned.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &year, &month, &day, &hour, &minute, &consumed) != 5)
    return std::nullopt;
  std::string_view rest = std::string_view(owned).substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == ':') {
    rest.remove_prefix(1);
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), second);
    if (ec != std::errc{} || second < 0 || second >= 61) return std::nullopt;
    rest = std::string_view(ptr, static_cast<std::size_t>(rest.data() + rest.size() - ptr));
  }
  if (rest != "Z") return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  std::tm check = tm;
  std::time_t epoch = timegm(&tm);
  // timegm normalises 31 February into March; a date that moved was invalid.
  if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon) return std::nullopt;
  return static_cast<double>(epoch) + second;
}

std::string utc_timestamp_error(std::string_view text) {
  static constexpr std::array month_names{"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  std::string owned(trim(text));
  if (std::sscanf(owned.c_str(), "%4d-%2d-%2dT%2d:%2d", &year, &month, &day, &hour, &minute) == 5 && month >= 1 &&
      month <= 12 && day >= 1) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    constexpr std::array days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int in_month = days[static_cast<std::size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
    if (day > in_month)
      return fmt::format("no such date: {} {} has {} days, got '{}'", month_names[static_cast<std::size_t>(month - 1)],
                         year, in_month, text);
    if (owned.back() != 'Z')
      return fmt::format("expected a UTC timestamp ending in Z, such as 2025-11-18T11:00:00Z, got '{}'", text);
  }
  return fmt::format("expected an ISO-8601 UTC timestamp such as 2025-11-18T11:00:00Z, got '{}'", text);
}

std::string format_utc_timestamp(double epoch_s) {
  double whole = std::floor(epoch_s);
  auto millis = static_cast<int>(std::lround((epoch_s - whole) * 1000.0));
  if (millis == 1000) {
    whole += 1;
    millis = 0;
  }
  std::time_t t = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (millis != 0) text += fmt::format(".{:03}", millis);
  return text + "Z";
}

namespace {

/// "14:30", "8:05" or "14:30:15" as seconds into a day; nullopt when not a
/// clock time (hours 0-23 in one or two digits, minutes and seconds 0-59 in two).
std::optional<double> read_clock(std::string_view text) {
  // Digits only, and at most `max`; nullopt otherwise.
  auto field = [](std::string_view digits, int max) -> std::optional<int> {
    int value = 0;
    for (char c : digits) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    return value <= max ? std::optional(value) : std::nullopt;
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2) return std::nullopt;
  const std::string_view rest = text.substr(colon + 1);
  if (rest.size() != 2 && !(rest.size() == 5 && rest[2] == ':')) return std::nullopt;
  const auto hours = field(text.substr(0, colon), 23);
  const auto minutes = field(rest.substr(0, 2), 59);
  const auto seconds = rest.size() == 5 ? field(rest.substr(3), 59) : std::optional(0);
  if (!hours || !minutes || !seconds) return std::nullopt;
  return *hours * 3600.0 + *minutes * 60.0 + *seconds;
}

}  // namespace

ParsedQuantity parse_sim_time(std::string_view text, double start_epoch_s) {
  std::string_view t = trim(text);
  const std::string expectation = fmt::format(
      "expected a time: an offset from the start such as +25m or +1h30m, a UTC clock time such as 14:30Z (the "
      "first 14:30 UTC at or after the start), or an ISO-8601 UTC timestamp such as 2025-11-18T11:20:00Z, got "
      "'{}'",
      text);
  if (!t.empty() && t.front() == '+') {
    auto offset = parse_quantity(t.substr(1), Unit::duration);
    if (!offset.value) return {std::nullopt, expectation};
    return offset;
  }
  if (t.find('T') != std::string_view::npos) {
    auto epoch = parse_utc_timestamp(t);
    if (!epoch) return {std::nullopt, utc_timestamp_error(t)};
    return {*epoch - start_epoch_s, {}};
  }
  // The first moment at or after the start whose UTC clock reads `clock`.
  auto clock_time = [start_epoch_s](double clock) {
    double at = std::floor(start_epoch_s / 86400) * 86400 + clock;
    if (at < start_epoch_s) at += 86400;
    return at - start_epoch_s;
  };
  if (!t.empty() && t.back() == 'Z') {
    auto clock = read_clock(t.substr(0, t.size() - 1));
    if (!clock) return {std::nullopt, expectation};
    return {clock_time(*clock), {}};
  }
  if (auto clock = read_clock(t)) {
    // A bare clock reads as a time of day to some and as a time after the
    // start to others; both are one character away, so the writer says which.
    const int total = static_cast<int>(*clock);
    std::string as_offset = "+";
    if (total >= 3600) as_offset += fmt::format("{}h", total / 3600);
    if (total % 3600 >= 60) as_offset += fmt::format("{}m", total % 3600 / 60);
    if (total % 60 != 0 || total == 0) as_offset += fmt::format("{}s", total % 60);
    return {std::nullopt,
            fmt::format("'{}' is ambiguous: write {}Z for that UTC time of day (here {}, the first at or after the "
                        "start), or {} for that long after the start",
                        t, t, format_utc_timestamp(start_epoch_s + clock_time(*clock)), as_offset)};
  }
  return {std::nullopt, expectation};
}

}  // namespace outagesim::scenario
