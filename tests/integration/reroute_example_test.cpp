// The reroute operator action (scenarios/examples/operator-reroute.yaml),
// through the CLI: a service whose dependency is rerouted around a failed
// component recovers at the action's time, while what still needs that
// component directly stays failed. Times are read from the loaded scenario.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

struct Times {
  double fault_s = 0;
  double reroute_s = 0;
  double revert_s = 0;
};

Times times_of(const world::World& w) {
  Times t;
  t.fault_s = w.faults.at(0).at_s;
  for (const auto& a : w.actions) {
    if (std::holds_alternative<scenario::actions::Reroute>(a.kind)) t.reroute_s = *a.at_s;
    if (std::holds_alternative<scenario::actions::Revert>(a.kind)) t.revert_s = *a.at_s;
  }
  return t;
}

class RerouteExample : public ::testing::Test {
 protected:
  void SetUp() override {
    world_ = world::build(scenario::load(example("operator-reroute")));
    times_ = times_of(world_);
    dir_ = run_example("operator-reroute");
  }
  world::World world_;
  Times times_;
  fs::path dir_;
};

TEST_F(RerouteExample, TheReroutedSiteRecoversAtTheActionAndTheDirectOneAtTheRevert) {
  ASSERT_GT(times_.reroute_s, times_.fault_s);
  ASSERT_GT(times_.revert_s, times_.reroute_s);
  const auto rerouted = read_series(dir_, "site", "app.example", "availability");
  const auto direct = read_series(dir_, "site", "shop.example", "availability");
  ASSERT_EQ(rerouted.size(), direct.size());
  // Samples one resolution step past each change, so propagation has landed.
  const double settle_s = world_.resolution_s;
  int checked_down = 0, checked_bypassed = 0;
  for (std::size_t k = 0; k < rerouted.size(); ++k) {
    const double t = rerouted[k].first;
    if (t >= times_.fault_s + settle_s && t < times_.reroute_s) {
      EXPECT_DOUBLE_EQ(rerouted[k].second, 0.0) << "t=" << t;
      ++checked_down;
    }
    if (t >= times_.reroute_s && t < times_.revert_s) {
      EXPECT_DOUBLE_EQ(rerouted[k].second, 1.0) << "t=" << t;
      EXPECT_DOUBLE_EQ(direct[k].second, 0.0) << "t=" << t;
      ++checked_bypassed;
    }
    if (t >= times_.revert_s + settle_s) {
      EXPECT_DOUBLE_EQ(direct[k].second, 1.0) << "t=" << t;
    }
  }
  EXPECT_GT(checked_down, 0);
  EXPECT_GT(checked_bypassed, 0);
}

TEST_F(RerouteExample, TheEventLogShowsTheRerouteWithItsCause) {
  int found = 0;
  for (const auto& e : read_events(dir_)) {
    if (e["kind"] != "dependency_rerouted") continue;
    ++found;
    EXPECT_DOUBLE_EQ(e["t"].get<double>(), times_.reroute_s);
    EXPECT_EQ(e["entity"], "cdn.kv");
    EXPECT_EQ(e["from"], "cdn.proxy");
    EXPECT_EQ(e["to"], "cdn.proxy_prior");
    EXPECT_EQ(e["cause"], "operator:sre");
  }
  EXPECT_EQ(found, 1);
}

TEST(RerouteValidate, TheTimelineNamesTheDependencyChange) {
  const Outcome o = outagesim(fmt::format("validate '{}'", example("operator-reroute")));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("reroute cdn.kv: cdn.proxy -> cdn.proxy_prior"), std::string::npos) << o.out;
}

}  // namespace
}  // namespace outagesim
