#include "models/remediation_pace.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(RemediationPace, StaffWithoutRampUpFinishInRoundsOfPerInstance) {
  // 3 people, 10 minutes each: 3 back at 10m, 3 at 20m, 1 at 30m.
  const auto t = remediation_times(7, 3, 600, 0);
  const std::vector<double> want{600, 600, 600, 1200, 1200, 1200, 1800};
  EXPECT_EQ(t, want);
}

TEST(RemediationPace, RampUpStaggersTheStartsOfThePeople) {
  // 2 people over a 10-minute ramp-up: the second starts at 5m.
  const auto t = remediation_times(4, 2, 600, 600);
  const std::vector<double> want{600, 900, 1200, 1500};
  EXPECT_EQ(t, want);
}

TEST(RemediationPace, NeverFasterThanTheStaffCanWorkAndInTimeOrder) {
  for (int staff : {1, 2, 5, 13})
    for (double ramp : {0.0, 300.0, 7200.0}) {
      const double per = 420;
      const auto t = remediation_times(100, staff, per, ramp);
      ASSERT_EQ(t.size(), 100u);
      EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
      // By time x at most staff * x / per instances are done; without a
      // ramp-up exactly floor(staff * x / per).
      for (std::size_t j = 0; j < t.size(); ++j) {
        EXPECT_LE(static_cast<double>(j + 1), staff * t[j] / per + 1e-9) << staff << " " << ramp << " " << j;
        if (ramp == 0) {
          EXPECT_DOUBLE_EQ(t[j], per * std::ceil(static_cast<double>(j + 1) / staff - 1e-12));
        }
      }
      // More staff is never slower.
      const auto more = remediation_times(100, staff + 1, per, ramp);
      for (std::size_t j = 0; j < t.size(); ++j) EXPECT_LE(more[j], t[j] + 1e-9);
    }
}

}  // namespace
}  // namespace outagesim::models
