#include "sim/scenario/suggest.hpp"

#include <gtest/gtest.h>

namespace outagesim::scenario {
namespace {

TEST(Suggest, EditDistance) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
  EXPECT_EQ(edit_distance("nmae", "name"), 1u);
}

TEST(Suggest, ProposesTheClosePlausibleTypo) {
  std::vector<std::string> keys{"name", "rps", "depends_on"};
  EXPECT_EQ(closest_match("depend_on", keys), "depends_on");
  EXPECT_EQ(closest_match("nmae", keys), "name");
  EXPECT_FALSE(closest_match("completely_else", keys));
  EXPECT_EQ(did_you_mean("rpss", keys), " (did you mean 'rps'?)");
  EXPECT_EQ(did_you_mean("zzz", keys), "");
}

}  // namespace
}  // namespace outagesim::scenario
