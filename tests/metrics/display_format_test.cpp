// The one way numbers and times are shown to people (display_format.hpp):
// fixed examples, and the property that every duration, rate, size and
// bandwidth shown reads back, through the scenario loader's own parser, as
// the value it shows.
#include "sim/metrics/display_format.hpp"
#include "sim/scenario/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace outagesim::metrics {
namespace {

using scenario::parse_quantity;
using scenario::Unit;

TEST(DisplayFormat, DurationsReadAsTheScenarioLanguageWritesThem) {
  EXPECT_EQ(duration(0), "0s");
  EXPECT_EQ(duration(0.0028688), "2.869ms");
  EXPECT_EQ(duration(0.25), "250ms");
  EXPECT_EQ(duration(42), "42s");
  EXPECT_EQ(duration(2.5), "2.500s");
  EXPECT_EQ(duration(1200), "20m00s");
  EXPECT_EQ(duration(610), "10m10s");
  EXPECT_EQ(duration(600.0028), "10m00.003s");
  EXPECT_EQ(duration(52200), "14h30m00s");
  EXPECT_EQ(duration(903600), "10d11h00m00s");
  EXPECT_EQ(duration(-300), "-5m00s");
  EXPECT_EQ(offset(1200), "+20m00s");
  EXPECT_EQ(offset(-300), "-5m00s");
  EXPECT_EQ(offset(0), "+0s");
}

TEST(DisplayFormat, NumbersNeverUseExponents) {
  EXPECT_EQ(percent(0.32691), "32.69%");
  EXPECT_EQ(percent(1), "100%");
  EXPECT_EQ(percent(0.6), "60%");
  EXPECT_EQ(percent(1e-7), "0.00001%");
  EXPECT_EQ(percentage_points(0.2), "+20 pp");
  EXPECT_EQ(percentage_points(-0.0025), "-0.25 pp");
  EXPECT_EQ(percentage_points(0), "0 pp");
  EXPECT_EQ(with_thousands(77000000), "77,000,000");
  EXPECT_EQ(signed_thousands(1200), "+1,200");
  EXPECT_EQ(signed_thousands(-750), "-750");
  EXPECT_EQ(rate(950), "950 rps");
  EXPECT_EQ(rate(2400), "2.4k rps");
  EXPECT_EQ(rate(1.5e10), "15000M rps");
  EXPECT_EQ(size(5e6), "5MB");
  EXPECT_EQ(size(1e12), "1000GB");
  EXPECT_EQ(size(512), "512B");
  EXPECT_EQ(bandwidth(1.25e9), "10Gbps");
  EXPECT_EQ(bandwidth(12.5e6), "100Mbps");
}

TEST(DisplayFormat, TimesInARunGiveTheClockAndTheOffset) {
  const double start = *scenario::parse_utc_timestamp("2025-06-02T14:00:00Z");
  EXPECT_EQ(time_in_run(start, 610), "14:10:10Z (+10m10s)");
  EXPECT_EQ(time_in_run(start, 12 * 3600), "2025-06-03T02:00:00Z (+12h00m00s)");
  EXPECT_EQ(utc_timestamp_ms(start), "2025-06-02T14:00:00.000Z");
  EXPECT_EQ(utc_timestamp_ms(start + 10.25), "2025-06-02T14:00:10.250Z");
}

/// Property: what is shown parses back, with the scenario's own grammar, to
/// the value within the precision shown.
TEST(DisplayFormat, EveryValueShownReadsBackAsItself) {
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> exponent(-5, 9);
  for (int i = 0; i < 5000; ++i) {
    const double magnitude = std::pow(10.0, exponent(rng));
    auto reads_back = [&](const std::string& text, Unit unit, double value, double tolerance) {
      const auto parsed = parse_quantity(text, unit);
      ASSERT_TRUE(parsed.value) << text << ": " << parsed.error;
      EXPECT_NEAR(*parsed.value, value, tolerance) << text;
    };
    const double d = std::min(magnitude, scenario::max_duration_s);
    // Below a second: four significant digits; from there on, the millisecond.
    reads_back(duration(d), Unit::duration, d, d < 1 ? 5e-4 * d : 5e-4 + 1e-9 * d);
    reads_back(offset(-d), Unit::offset, -d, d < 1 ? 5e-4 * d : 5e-4 + 1e-9 * d);
    reads_back(rate(magnitude), Unit::rate, magnitude, 5e-4 * magnitude);
    reads_back(size(magnitude), Unit::size, magnitude, 5e-4 * magnitude);
    reads_back(bandwidth(magnitude), Unit::bandwidth, magnitude, 5e-4 * magnitude);
    const std::string shown = percent(magnitude / 1e9);
    EXPECT_EQ(shown.find('e'), std::string::npos) << shown;
  }
}

}  // namespace
}  // namespace outagesim::metrics
