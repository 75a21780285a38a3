// Operators who depend on services (scenarios/examples/operator-depends-on.yaml,
// docs/models/operators.md): the expected times of detection, diagnosis and
// actions are computed from the scenario's numbers, never copied from a run.
#include "example_run.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// Samples this close to an event's time may fall on either side of it.
constexpr double boundary_s = 1e-6;

ExampleRun run(const std::string& name, const std::vector<std::string>& sets = {}) {
  return run_loaded_example(name, sets);
}

const world::Fault& fault(const world::World& w, const std::string& id) {
  for (const auto& f : w.faults)
    if (f.id == id) return f;
  throw std::runtime_error("no fault " + id);
}

/// The events of `kind` (and of `entity`, when given), in order.
std::vector<nlohmann::json> events_of(const ExampleRun& r, const std::string& kind, const std::string& entity = "") {
  std::vector<nlohmann::json> out;
  for (const auto& e : r.events)
    if (e["kind"] == kind && (entity.empty() || e["entity"] == entity)) out.push_back(e);
  return out;
}

double only_time(const ExampleRun& r, const std::string& kind, const std::string& entity = "") {
  const auto found = events_of(r, kind, entity);
  if (found.size() != 1) throw std::runtime_error(fmt::format("{} {} events of {}", found.size(), kind, entity));
  return found.front()["t"];
}

/// When the team took its action of kind `action`.
double acted_at(const ExampleRun& r, const std::string& action) {
  for (const auto& e : events_of(r, "operator_action"))
    if (e["action"] == action) return e["t"];
  throw std::runtime_error("no action " + action);
}

/// The alert fires at the first tick at or after the crash plus `for`, and
/// reaches the team after the reporting delay (times the slowdown of a
/// failing dependency that holds detection).
void expect_detected(const ExampleRun& r, double detected, double reporting_factor) {
  const auto& rule = r.world.operators.at(0).detection.at(0);
  const double earliest = fault(r.world, "edge-down").at_s + rule.for_s + rule.reporting_delay_s * reporting_factor;
  EXPECT_GE(detected, earliest - 1e-9);
  EXPECT_LT(detected, earliest + r.world.resolution_s + 1e-9);
}

TEST(OperatorDependencies, TheTeamIsSlowedByItsToolsThenBlockedUntilItsOutOfBandPathIsUp) {
  const ExampleRun r = run("operator-depends-on");
  const auto& team = r.world.operators.at(0);
  const auto& tools = team.depends_on.at(0);
  const auto& access = team.depends_on.at(1);
  const auto& edge = fault(r.world, "edge-down");
  const double edge_back_by_itself = edge.at_s + *edge.duration_s;
  const double tick = r.world.resolution_s;

  const double detected = only_time(r, "operator_detected");
  expect_detected(r, detected, 1);
  // The tools fail with the edge for the whole diagnosis: it takes slowdown times as long.
  const double diagnosed = detected + tools.slowdown * team.diagnosis_s;
  ASSERT_LT(diagnosed, edge_back_by_itself) << "the example must keep the tools down through the diagnosis";
  EXPECT_NEAR(only_time(r, "operator_diagnosed"), diagnosed, 1e-6);
  // The access is found down at the diagnosis; the team acts once its out-of-band path is up.
  const double out_of_band_at = diagnosed + *access.out_of_band_s;
  ASSERT_LT(out_of_band_at, edge_back_by_itself) << "the example's out-of-band path must beat the edge's recovery";
  EXPECT_NEAR(acted_at(r, "end_fault"), out_of_band_at, 1e-6);
  const auto ended = events_of(r, "fault_ended", edge.id);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NEAR(ended[0]["t"].get<double>(), out_of_band_at, 1e-6);
  EXPECT_EQ(ended[0]["cause"], "operator:sre");

  // One hold per dependency, each reported when it first held the team back.
  const auto held = events_of(r, "operator_held");
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0]["service"], r.world.services[static_cast<std::size_t>(tools.service)].id);
  EXPECT_EQ(held[0]["stage"], "diagnosis");
  EXPECT_EQ(held[0]["slowdown"], tools.slowdown);
  EXPECT_TRUE(held[0]["out_of_band_at"].is_null());
  EXPECT_NEAR(held[0]["t"].get<double>(), detected, 1e-9);
  EXPECT_EQ(held[1]["service"], r.world.services[static_cast<std::size_t>(access.service)].id);
  EXPECT_EQ(held[1]["stage"], "actions");
  EXPECT_TRUE(held[1]["slowdown"].is_null());
  EXPECT_NEAR(held[1]["out_of_band_at"].get<double>(), out_of_band_at, 1e-6);

  // The restart waits until the edge has been healthy for `for`, seen at the
  // first tick at or after it came back.
  const auto& restart = r.world.actions.at(1);
  ASSERT_GE(restart.when_healthy, 0);
  const double restarted = acted_at(r, "restart");
  EXPECT_GE(restarted, out_of_band_at + restart.when_for_s - 1e-9);
  EXPECT_LE(restarted, out_of_band_at + restart.when_for_s + tick + 1e-9);

  // Nothing is served while the edge is down; then the wedged app servers
  // serve what half their capacity allows, until the restart.
  const auto& app = r.world.services.at(static_cast<std::size_t>(fault(r.world, "app-wedged").service));
  double capacity = 0;
  for (int i : app.instances) capacity += r.world.instances[static_cast<std::size_t>(i)].capacity_rps;
  const double factor = std::get<scenario::faults::CapacityLoss>(fault(r.world, "app-wedged").kind).capacity_factor;
  const double half_served = std::min(1.0, capacity * factor / r.world.sites.at(0).rps);
  ASSERT_LT(half_served, 1.0);
  const Series global = read_series(r.dir, "global", "", "availability");
  for (double v : inside(global, edge.at_s + boundary_s, out_of_band_at - boundary_s)) EXPECT_EQ(v, 0.0);
  const auto wedged = inside(global, out_of_band_at + boundary_s, restarted - boundary_s);
  ASSERT_FALSE(wedged.empty());
  for (double v : wedged) EXPECT_NEAR(v, half_served, 1e-9);
}

TEST(OperatorDependencies, ABlockedTeamActsNoEarlierThanItsDependencyRecovers) {
  // An out-of-band path slower than the edge's own recovery: the team waits
  // for the access to be healthy again, seen at the first tick after.
  const ExampleRun r = run("operator-depends-on", {"operators[0].depends_on[1].out_of_band=5h"});
  const auto& edge = fault(r.world, "edge-down");
  const double recovered = edge.at_s + *edge.duration_s;
  const double acted = acted_at(r, "end_fault");
  EXPECT_GE(acted, recovered - 1e-9);
  EXPECT_LE(acted, recovered + r.world.resolution_s + 1e-9);
  const auto ended = events_of(r, "fault_ended", edge.id);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0]["cause"], "fault:" + edge.id) << "its own duration ended it first";
  // Never held past the recovery: the out-of-band path was not needed.
  EXPECT_GT(events_of(r, "operator_held").back()["out_of_band_at"].get<double>(), acted);
}

TEST(OperatorDependencies, ASlowedDetectionDelaysTheReportByTheSlowdown) {
  // The tools also hold detection: the alert's reporting delay takes
  // slowdown times as long, and the diagnosis follows from there.
  const ExampleRun r = run("operator-depends-on", {"operators[0].depends_on[0].stages=[detection, diagnosis]"});
  const auto& team = r.world.operators.at(0);
  const auto& tools = team.depends_on.at(0);
  const double detected = only_time(r, "operator_detected");
  expect_detected(r, detected, tools.slowdown);
  EXPECT_NEAR(only_time(r, "operator_diagnosed"), detected + tools.slowdown * team.diagnosis_s, 1e-6);
}

TEST(OperatorDependencies, TheSameSeedGivesTheSameEvents) {
  const ExampleRun a = run("operator-depends-on");
  const ExampleRun b = run("operator-depends-on");
  EXPECT_EQ(slurp(a.dir / "events.jsonl"), slurp(b.dir / "events.jsonl"));
  EXPECT_EQ(slurp(a.dir / "timeseries.csv"), slurp(b.dir / "timeseries.csv"));
}

}  // namespace
}  // namespace outagesim
