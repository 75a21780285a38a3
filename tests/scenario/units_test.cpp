#include "sim/scenario/units.hpp"

#include <gtest/gtest.h>

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
  EXPECT_DOUBLE_EQ(*parse_sim_time("00:47", start).value, 47 * 60);
  EXPECT_DOUBLE_EQ(*parse_sim_time("01:02:03", start).value, 3723);
  EXPECT_DOUBLE_EQ(*parse_sim_time("2025-12-05T08:47:00Z", start).value, 47 * 60);
  EXPECT_FALSE(parse_sim_time("soon", start).value);
  EXPECT_FALSE(parse_sim_time("08:61", start).value);
  EXPECT_FALSE(parse_sim_time("+", start).value);
}

}  // namespace
}  // namespace outagesim::scenario
