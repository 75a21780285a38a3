// The progress line: rewritten in place at most every half second of wall
// time (a fake clock here), ended by a newline, and silent when disabled.
#include "sim/metrics/progress.hpp"

#include <algorithm>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

using ::testing::HasSubstr;

TEST(Progress, RewritesOneLineAtMostEveryHalfSecond) {
  double now = 100;
  std::ostringstream out;
  Progress progress(out, 3600, true, [&] { return now; });
  const world::WorldState state;
  progress.on_sample(0, state);
  EXPECT_EQ(out.str(), "");  // no time has passed
  now += 0.2;
  progress.on_sample(10, state);
  EXPECT_EQ(out.str(), "");
  now += 0.4;
  progress.on_sample(1800, state);
  EXPECT_EQ(out.str(), "\rsimulated 30m00s of 1h00m00s (50%), wall 0.6 s, 5 events/s");
  now += 0.6;
  progress.on_sample(3600, state);
  progress.finish();
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("\rsimulated 1h00m00s of 1h00m00s (100%), wall 1.2 s, 3 events/s"));
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(Progress, PrintsNothingWhenDisabled) {
  std::ostringstream out;
  double now = 0;
  Progress progress(out, 60, false, [&] { return now += 10; });
  const world::WorldState state;
  for (double t = 0; t <= 60; t += 10) progress.on_sample(t, state);
  progress.on_event({5, world::FaultInjected{0, 1}, "fault:x"}, state);
  progress.finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace outagesim::metrics
