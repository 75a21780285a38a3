#include "sim/scenario/units.hpp"
#include "unit_suffix.hpp"

#include "sim/scenario/describe.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

namespace outagesim::scenario {
namespace {

double value(std::string_view text, Unit unit) {
  auto parsed = parse_quantity(text, unit);
  EXPECT_TRUE(parsed.value.has_value()) << text << ": " << parsed.error;
  return parsed.value.value_or(-1);
}

void rejects(std::string_view text, Unit unit) {
  auto parsed = parse_quantity(text, unit);
  EXPECT_FALSE(parsed.value.has_value()) << text << " parsed as " << parsed.value.value_or(0);
  EXPECT_NE(parsed.error.find("expected"), std::string::npos);
}

TEST(Units, DurationsInEveryUnit) {
  EXPECT_DOUBLE_EQ(value("250ms", Unit::duration), 0.25);
  EXPECT_DOUBLE_EQ(value("5s", Unit::duration), 5);
  EXPECT_DOUBLE_EQ(value("5m", Unit::duration), 300);
  EXPECT_DOUBLE_EQ(value("2h", Unit::duration), 7200);
  EXPECT_DOUBLE_EQ(value("1d", Unit::duration), 86400);
  EXPECT_DOUBLE_EQ(value("1.5h", Unit::duration), 5400);
  EXPECT_DOUBLE_EQ(value("0", Unit::duration), 0);
}

TEST(Units, CompoundDurations) {
  EXPECT_DOUBLE_EQ(value("1h30m", Unit::duration), 5400);
  EXPECT_DOUBLE_EQ(value("2m30s", Unit::duration), 150);
  EXPECT_DOUBLE_EQ(value("1s500ms", Unit::duration), 1.5);
}

TEST(Units, DurationsNeedAUnit) {
  rejects("5", Unit::duration);
  rejects("5 parsecs", Unit::duration);
  rejects("m", Unit::duration);
  rejects("", Unit::duration);
  rejects("1h30", Unit::duration);
}

TEST(Units, SizesDecimalAndBinary) {
  EXPECT_DOUBLE_EQ(value("60KB", Unit::size), 60e3);
  EXPECT_DOUBLE_EQ(value("1MB", Unit::size), 1e6);
  EXPECT_DOUBLE_EQ(value("2GiB", Unit::size), 2.0 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(value("512 B", Unit::size), 512);
  rejects("1Mb", Unit::size);  // bits are not a size
}

TEST(Units, BandwidthIsBytesPerSecond) {
  EXPECT_DOUBLE_EQ(value("10Gbps", Unit::bandwidth), 1.25e9);
  EXPECT_DOUBLE_EQ(value("100Mbps", Unit::bandwidth), 12.5e6);
  EXPECT_DOUBLE_EQ(value("1GB/s", Unit::bandwidth), 1e9);
  rejects("10G", Unit::bandwidth);
}

TEST(Units, RequestRates) {
  EXPECT_DOUBLE_EQ(value("50k rps", Unit::rate), 50e3);
  EXPECT_DOUBLE_EQ(value("2000 rps", Unit::rate), 2000);
  EXPECT_DOUBLE_EQ(value("1.5M rps", Unit::rate), 1.5e6);
  rejects("50k", Unit::rate);
}

TEST(Units, Fractions) {
  EXPECT_DOUBLE_EQ(value("28%", Unit::fraction), 0.28);
  EXPECT_DOUBLE_EQ(value("0.28", Unit::fraction), 0.28);
  rejects("28 percent", Unit::fraction);
}

TEST(Units, RejectsNonFiniteAndJunk) {
  rejects("nan", Unit::none);
  rejects("inf", Unit::none);
  rejects("5s5", Unit::duration);
  rejects("12abc", Unit::none);
}

TEST(Units, UtcTimestampsRoundTrip) {
  auto t = parse_utc_timestamp("2025-11-18T11:20:00Z");
  ASSERT_TRUE(t);
  EXPECT_DOUBLE_EQ(*t, 1763464800.0);
  EXPECT_EQ(format_utc_timestamp(*t), "2025-11-18T11:20:00Z");
  EXPECT_EQ(format_utc_timestamp(*t + 2.5), "2025-11-18T11:20:02.500Z");
  EXPECT_TRUE(parse_utc_timestamp("2025-11-18T11:20Z"));
  EXPECT_FALSE(parse_utc_timestamp("2025-02-30T11:20:00Z"));  // no 30 February
  EXPECT_FALSE(parse_utc_timestamp("2025-11-18 11:20:00"));   // not ISO, no zone
  EXPECT_FALSE(parse_utc_timestamp("2025-11-18T11:20:00+01:00"));
}

TEST(Units, SimTimesRelativeToStart) {
  const double start = *parse_utc_timestamp("2025-12-05T08:00:00Z");
  EXPECT_DOUBLE_EQ(*parse_sim_time("+25m", start).value, 1500);
  EXPECT_DOUBLE_EQ(*parse_sim_time("+1h02m03s", start).value, 3723);
  EXPECT_DOUBLE_EQ(*parse_sim_time("2025-12-05T08:47:00Z", start).value, 47 * 60);
  EXPECT_FALSE(parse_sim_time("soon", start).value);
  EXPECT_FALSE(parse_sim_time("08:61Z", start).value);
  EXPECT_FALSE(parse_sim_time("24:00Z", start).value);
  EXPECT_FALSE(parse_sim_time("08:4Z", start).value);
  EXPECT_FALSE(parse_sim_time("+", start).value);
}

// A UTC time of day is the first moment at or after the start whose clock
// reads it: later the same day, or the next day once the day's has passed.
TEST(Units, ClockTimesAreTheFirstAtOrAfterTheStart) {
  const double start = *parse_utc_timestamp("2025-12-05T14:00:00Z");
  EXPECT_DOUBLE_EQ(*parse_sim_time("14:30Z", start).value, 30 * 60);
  EXPECT_DOUBLE_EQ(*parse_sim_time("14:00Z", start).value, 0);
  EXPECT_DOUBLE_EQ(*parse_sim_time("14:30:15Z", start).value, 30 * 60 + 15);
  EXPECT_DOUBLE_EQ(*parse_sim_time("9:05Z", start).value, 19 * 3600 + 5 * 60);  // 09:05 the next day
  EXPECT_DOUBLE_EQ(*parse_sim_time("00:00Z", start).value, 10 * 3600);
  const double late = *parse_utc_timestamp("2025-12-05T23:30:00Z");
  EXPECT_DOUBLE_EQ(*parse_sim_time("01:00Z", late).value, 90 * 60);
}

// "14:30" is a time of day to one reader and 14.5 hours after the start to
// another: refused, with both spellings and what the first would mean here.
TEST(Units, BareClockTimesAreRefusedWithBothReadings) {
  const double start = *parse_utc_timestamp("2025-12-05T14:00:00Z");
  const auto parsed = parse_sim_time("14:30", start);
  EXPECT_FALSE(parsed.value);
  EXPECT_EQ(parsed.error,
            "'14:30' is ambiguous: write 14:30Z for that UTC time of day (here 2025-12-05T14:30:00Z, the first at or "
            "after the start), or +14h30m for that long after the start");
  EXPECT_NE(parse_sim_time("00:47", start).error.find("or +47m for"), std::string::npos);
  EXPECT_NE(parse_sim_time("01:02:03", start).error.find("or +1h2m3s for"), std::string::npos);
  EXPECT_NE(parse_sim_time("00:00", start).error.find("or +0s for"), std::string::npos);
}

TEST(Units, BareRatesAreRequestsPerSecond) {
  EXPECT_DOUBLE_EQ(*parse_quantity("2000", Unit::rate).value, 2000);
  EXPECT_DOUBLE_EQ(*parse_quantity("1.5e4", Unit::rate).value, 15000);
  EXPECT_FALSE(parse_quantity("2000 rpm", Unit::rate).value);
}

// Bare numbers where a unit has several scales name the unit to add.
TEST(Units, BareNumbersSayWhichUnitIsExpected) {
  EXPECT_EQ(parse_quantity("30", Unit::duration).error,
            "expected a duration such as 250ms, 5s, 5m, 1h30m or 1d, got '30' (a bare number has no unit: write 30s, "
            "30m or 30h)");
  EXPECT_NE(parse_quantity("5e6", Unit::size).error.find("(a bare number has no unit: write 5e6B for bytes)"),
            std::string::npos);
  EXPECT_NE(parse_quantity("10", Unit::bandwidth).error.find("write 10bps for bits or 10B/s for bytes per second"),
            std::string::npos);
  EXPECT_DOUBLE_EQ(*parse_quantity("0", Unit::duration).value, 0);
  EXPECT_EQ(range_error(Unit::fraction, 30, "30"),
            "'30' is out of range: a fraction is 0% to 100%; a bare number is a share of 1 (0.3 is 30%): write 30% "
            "for 30 per cent");
  EXPECT_EQ(range_error(Unit::fraction, 300, "300"), "'300' is out of range: a fraction is 0% to 100%");
}


// --- ranges: the one table every numeric field is checked against ---------------


/// Whether `unit` accepts `text`, by the loader's two steps: grammar, then range.
bool accepted(std::string_view text, Unit unit, double& value) {
  auto parsed = parse_quantity(text, unit);
  if (!parsed.value) return false;
  value = *parsed.value;
  return range_error(unit, value, text).empty();
}

TEST(Ranges, HostileNumbersInEveryKindAreRefused) {
  for (Unit unit : all_units) {
    const std::string suffix(testing::a_suffix_of(unit_grammar(unit)));
    const Range& range = unit_range(unit);
    double value = 0;
    for (const std::string number : {"nan", "-nan", "inf", "-inf", "infinity", "1e308", "-1e308", "1e400"})
      EXPECT_FALSE(accepted(number + suffix, unit, value)) << number + suffix << " as " << unit_name(unit);
    if (range.min >= 0) {
      EXPECT_FALSE(accepted("-1" + suffix, unit, value)) << unit_name(unit);
    }
    const bool has_floor = range.min > 0 || range.smallest_nonzero > 0;
    if (has_floor) {
      EXPECT_FALSE(accepted("1e-300" + suffix, unit, value)) << unit_name(unit);
    }
    if (accepted("0" + suffix, unit, value)) {
      EXPECT_LE(range.min, 0.0) << unit_name(unit);
    }
    // Whatever is accepted is finite and inside the table's range.
    for (const std::string number : {"0", "1e-300", "1e-7", "1e-3", "1", "59", "1e6", "1e12", "1e15", "-5"}) {
      if (!accepted(number + suffix, unit, value)) continue;
      EXPECT_TRUE(std::isfinite(value)) << number + suffix;
      EXPECT_GE(value, range.min) << number + suffix << " as " << unit_name(unit);
      EXPECT_LE(value, range.max) << number + suffix << " as " << unit_name(unit);
      if (value != 0 && range.min == 0) {
        EXPECT_GE(std::abs(value), range.smallest_nonzero) << number + suffix;
      }
    }
  }
}

TEST(Ranges, EveryRangeIsFiniteAndSaysSo) {
  for (Unit unit : all_units) {
    const Range& range = unit_range(unit);
    EXPECT_TRUE(std::isfinite(range.min) && std::isfinite(range.max)) << unit_name(unit);
    EXPECT_LT(range.min, range.max) << unit_name(unit);
    EXPECT_FALSE(range.text.empty()) << unit_name(unit);
    EXPECT_FALSE(range.reason.empty()) << unit_name(unit);
  }
  // Large units overflow into infinity: refused by the grammar, with the range.
  auto parsed = parse_quantity("1e308d", Unit::period);
  EXPECT_FALSE(parsed.value);
  EXPECT_NE(parsed.error.find("1ms to 100 years"), std::string::npos) << parsed.error;
  EXPECT_EQ(range_error(Unit::period, 1e-300, "1e-300s"), "'1e-300s' is out of range: a period is 1ms to 100 years");
}

/// Collects each numeric field of the language with its unit, by walking describe.hpp.
class NumericFields {
 public:
  struct Field {
    std::string path;
    Unit unit;
  };
  NumericFields(std::vector<Field>& out, std::string path) : out_(out), path_(std::move(path)) {}

  template <class T>
  void required(std::string_view key, T& value, std::string_view) { visit(key, value); }
  template <class T>
  void optional(std::string_view key, T& value, std::string_view) { visit(key, value); }
  void required(std::string_view key, double&, Unit unit, std::string_view) { add(key, unit); }
  void optional(std::string_view key, double&, Unit unit, std::string_view) { add(key, unit); }
  void optional(std::string_view key, std::optional<double>&, Unit unit, std::string_view) { add(key, unit); }
  void optional(std::string_view key, std::optional<Distribution>&, Unit unit, std::string_view) { add(key, unit); }
  void required_time(std::string_view, TimeSpec&, std::string_view) {}
  void optional_time(std::string_view, std::optional<TimeSpec>&, std::string_view) {}
  void preprocessed(std::string_view, std::string_view) {}
  void timestamp(std::string_view, double&, std::string_view) {}
  template <class Fn>
  void object(std::string_view key, std::string_view, Fn&& describe_fields) {
    NumericFields inner(out_, child(key));
    describe_fields(inner);
  }
  /// Every kind's fields, as if each were the one written.
  template <class... Kinds>
  void variant(std::string_view, std::variant<Kinds...>&, std::string_view, std::string_view) {
    auto walk = [&]<class Kind>(Kind*) {
      Kind value{};
      describe(*this, value);
    };
    (walk(static_cast<Kinds*>(nullptr)), ...);
  }

 private:
  std::string child(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
  void add(std::string_view key, Unit unit) { out_.push_back({child(key), unit}); }

  template <class T>
  void visit(std::string_view, T&) {}  // strings, integers, booleans, enums
  template <class T>
    requires requires(NumericFields& v, T& t) { describe(v, t); }
  void visit(std::string_view key, T& value) {
    NumericFields inner(out_, child(key));
    describe(inner, value);
  }
  template <class T>
  void visit(std::string_view key, std::optional<T>&) {
    T value{};
    visit(key, value);
  }
  template <class T>
  void visit(std::string_view key, std::vector<T>&) {
    T value{};
    visit(std::string(key) + "[]", value);
  }

  std::vector<Field>& out_;
  std::string path_;
};

TEST(Ranges, EveryNumericFieldHasAKindWithAMeaningfulRange) {
  std::vector<NumericFields::Field> fields;
  Scenario scenario;
  NumericFields walker(fields, "");
  describe(walker, scenario);
  EXPECT_GE(fields.size(), 60u);
  for (const auto& field : fields)
    EXPECT_NE(field.unit, Unit::none) << field.path << " is a plain number with no range of its own";
  // Every kind of the table is used by some field, so none is dead weight.
  for (Unit unit : all_units) {
    if (unit == Unit::none) continue;
    EXPECT_TRUE(std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.unit == unit; }))
        << unit_name(unit) << " has no field";
  }
}

}  // namespace
}  // namespace outagesim::scenario
