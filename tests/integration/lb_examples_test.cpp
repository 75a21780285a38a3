// The load-balancer examples (health checks that flap and withdraw a zone;
// the same with failover disabled by an operator; checks that fail on
// targets serving every request), each run through the CLI
// and held to what docs/models/load-balancing.md implies from the scenario's
// numbers: the zone's share of capacity lost while it is withdrawn, every
// target back within one check interval of disable_failover. Expected values
// are computed here from the scenario, never copied from a run.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

constexpr double exact = 1e-9;

world::World world_of(const std::string& name) { return world::build(scenario::load(example(name))); }

/// What the example's numbers imply.
struct Expected {
  std::string service;        ///< "cloud.api"
  std::string zone;           ///< the region of the instances the fault hurts
  std::set<std::string> zone_instances;
  std::set<std::string> hurt;  ///< instances with a non-zero error rate under the fault
  double zone_share = 0;      ///< of the service's capacity
  double hurt_failing = 0;    ///< share of all requests the hurt instances fail while in service
  double fault_at = 0;
  double interval = 0;
};

Expected expected_of(const world::World& w) {
  Expected e;
  const auto& service = w.services.at(0);
  e.service = service.id;
  e.interval = service.load_balancer->interval_s;
  const auto& fault = w.faults.at(0);
  e.fault_at = fault.at_s;
  double total = 0, offered = 0;
  for (int i : service.instances) total += w.instances[static_cast<std::size_t>(i)].capacity_rps;
  for (const auto& site : w.sites) offered += site.rps;
  // The drop equals the zone's share only when the service has no headroom.
  EXPECT_DOUBLE_EQ(offered, total);
  int zone = -1;
  for (int i : service.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    const double rate = fault.error_rate_by_variant[static_cast<std::size_t>(instance.variant)];
    if (rate <= 0) continue;
    e.hurt.insert(instance.id);
    e.hurt_failing += rate * instance.capacity_rps / total;
    if (zone >= 0) {
      EXPECT_EQ(zone, instance.region) << "the example hurts one zone only";
    }
    zone = instance.region;
  }
  e.zone = w.platform.regions[static_cast<std::size_t>(zone)].name;
  for (int i : service.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    if (instance.region != zone) continue;
    e.zone_instances.insert(instance.id);
    e.zone_share += instance.capacity_rps / total;
  }
  return e;
}

std::vector<nlohmann::json> lb_events(const std::vector<nlohmann::json>& events, const std::string& reason) {
  std::vector<nlohmann::json> out;
  for (const auto& ev : events)
    if (ev["kind"] == "load_balancer_changed" && ev["reason"] == reason) out.push_back(ev);
  return out;
}

/// The intervals [from, to) during which the zone was withdrawn.
std::vector<std::pair<double, double>> withdrawals(const std::vector<nlohmann::json>& events, double end) {
  std::vector<std::pair<double, double>> out;
  for (const auto& ev : events) {
    if (ev["kind"] != "load_balancer_changed") continue;
    if (ev["reason"] == "zone_withdrawn") out.emplace_back(ev["t"].get<double>(), end);
    if (ev["reason"] == "zone_restored") out.back().second = ev["t"].get<double>();
  }
  return out;
}

// --- checks flap and the zone is withdrawn -------------------------------------------

TEST(LbHealthFlapping, FlappingTargetsWithdrawTheirZoneAndItsShareOfCapacity) {
  const auto w = world_of("lb-health-flapping");
  const Expected e = expected_of(w);
  const auto dir = run_example("lb-health-flapping");
  const auto events = read_events(dir);

  // Nothing happens before the fault: every target starts healthy and stays so.
  for (const auto& ev : events)
    if (ev["kind"] == "load_balancer_changed") {
      EXPECT_GT(ev["t"].get<double>(), e.fault_at) << ev.dump();
    }

  // Health flaps: a hurt target turns unhealthy, healthy and unhealthy again;
  // only hurt targets ever turn unhealthy.
  std::map<std::string, std::vector<std::string>> transitions;
  for (const auto& ev : events)
    if (ev["kind"] == "load_balancer_changed" && ev.contains("target"))
      transitions[ev["target"].get<std::string>()].push_back(ev["reason"].get<std::string>());
  bool flapped = false;
  for (const auto& [target, reasons] : transitions) {
    EXPECT_TRUE(e.hurt.count(target)) << target << " turned unhealthy without failing anything";
    flapped = flapped || (reasons.size() >= 3 && reasons[0] == "target_unhealthy" && reasons[1] == "target_healthy" &&
                          reasons[2] == "target_unhealthy");
  }
  EXPECT_TRUE(flapped);

  // The zone is withdrawn at a check, after the second failed check of a hurt target at the earliest.
  const auto withdrawn = lb_events(events, "zone_withdrawn");
  ASSERT_FALSE(withdrawn.empty());
  EXPECT_EQ(withdrawn[0]["zone"], e.zone);
  const double first = withdrawn[0]["t"].get<double>();
  EXPECT_GE(first, e.fault_at + 2 * e.interval);
  EXPECT_NEAR(std::fmod(first, e.interval), 0.0, exact);
  EXPECT_EQ(withdrawn[0]["in_service"].get<std::size_t>(), w.services[0].instances.size() - e.zone_instances.size());

  // Every instance of the zone, healthy ones included, goes out of service then.
  std::set<std::string> removed;
  for (const auto& ev : events)
    if (ev["kind"] == "instance_changed" && ev["t"].get<double>() == first && ev["up"] == false &&
        ev["cause"] == "load_balancer:" + e.service)
      removed.insert(ev["entity"].get<std::string>());
  EXPECT_EQ(removed, e.zone_instances);
  ASSERT_LT(e.hurt.size(), e.zone_instances.size()) << "the zone must hold healthy targets too";

  // Availability: 1 before the fault; 1 - zone share at every sample while
  // the zone is withdrawn (the instants of a change excluded: sampling order).
  const auto series = read_series(dir, "global", "", "availability");
  ASSERT_FALSE(series.empty());
  const auto spans = withdrawals(events, w.duration_s + 1);
  int inside = 0;
  for (const auto& [t, a] : series) {
    if (t < e.fault_at) {
      EXPECT_NEAR(a, 1.0, exact) << t;
    }
    for (const auto& [from, to] : spans)
      if (t > from && t < to) {
        EXPECT_NEAR(a, 1.0 - e.zone_share, exact) << t;
        ++inside;
      }
    EXPECT_GE(a, 1.0 - e.zone_share - exact) << t;
  }
  EXPECT_GT(inside, 0);
  const auto summary = read_json(dir / "summary.json");
  EXPECT_NEAR(summary["metrics"]["availability_min"].get<double>(), 1.0 - e.zone_share, exact);

  // The removed capacity is owed to the fault behind the failing checks.
  EXPECT_NE(slurp(dir / "attribution.csv").find(w.faults[0].id), std::string::npos);
}

TEST(LbHealthFlapping, SameSeedSameEventsAndTheProbesAreDrawnFromTheSeed) {
  const auto a = run_example("lb-health-flapping");
  const std::string first = slurp(a / "events.jsonl");
  const auto b = run_example("lb-health-flapping");
  EXPECT_EQ(first, slurp(b / "events.jsonl"));
  // Flapping is an outcome of random probes, not a script: another seed flaps otherwise.
  const auto c = run_example("lb-health-flapping", "--seed 21");
  EXPECT_NE(first, slurp(c / "events.jsonl"));
}

// --- failover disabled by an operator ----------------------------------------------

/// Per instance, the intervals [from, to) during which the load balancer kept
/// it out of service, from its `instance_changed` events.
std::map<std::string, std::vector<std::pair<double, double>>> out_of_service(const std::vector<nlohmann::json>& events,
                                                                            double end) {
  std::map<std::string, std::vector<std::pair<double, double>>> out;
  for (const auto& ev : events) {
    if (ev["kind"] != "instance_changed") continue;
    auto& spans = out[ev["entity"].get<std::string>()];
    if (ev["up"] == false) spans.emplace_back(ev["t"].get<double>(), end);
    else if (!spans.empty()) spans.back().second = ev["t"].get<double>();
  }
  return out;
}

TEST(LbFailoverDisabled, TheZoneReturnsAtDisableFailoverAndTheChecksStillDecide) {
  const auto w = world_of("lb-failover-disabled");
  const Expected e = expected_of(w);
  ASSERT_EQ(w.actions.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<scenario::actions::DisableFailover>(w.actions[0].kind));
  const double disabled_at = *w.actions[0].at_s;
  const auto dir = run_example("lb-failover-disabled");
  const auto events = read_events(dir);

  // Until the operator acts, the run is lb-health-flapping's: same seed, same probes.
  const auto flapping = read_events(run_example("lb-health-flapping"));
  std::vector<nlohmann::json> before, before_flapping;
  for (const auto& ev : events)
    if (ev["t"].get<double>() < disabled_at) before.push_back(ev);
  for (const auto& ev : flapping)
    if (ev["t"].get<double>() < disabled_at) before_flapping.push_back(ev);
  EXPECT_EQ(before, before_flapping);
  const auto spans = withdrawals(events, w.duration_s + 1);
  ASSERT_FALSE(spans.empty());
  ASSERT_LT(spans.back().first, disabled_at);
  ASSERT_GE(spans.back().second, disabled_at) << "the zone must be withdrawn when the operator acts";

  const auto disabled = lb_events(events, "failover_disabled");
  ASSERT_EQ(disabled.size(), 1u);
  EXPECT_EQ(disabled[0]["t"].get<double>(), disabled_at);
  EXPECT_EQ(disabled[0]["cause"], "operator:" + w.actions[0].operator_name);

  // The zone comes back at the action itself, and no zone is withdrawn after it.
  const auto restored = lb_events(events, "zone_restored");
  ASSERT_FALSE(restored.empty());
  EXPECT_EQ(restored.back()["t"].get<double>(), disabled_at);
  EXPECT_EQ(restored.back()["cause"], "operator:" + w.actions[0].operator_name);
  for (const auto& ev : lb_events(events, "zone_withdrawn")) EXPECT_LT(ev["t"].get<double>(), disabled_at);

  // The checks go on and still decide: the zone's targets that were healthy
  // when the operator acted come back with it, the others stay out, and a
  // hurt target failing its checks goes out again.
  std::map<std::string, bool> healthy;
  for (const auto& ev : events)
    if (ev["kind"] == "load_balancer_changed" && ev.contains("target") && ev["t"].get<double>() < disabled_at)
      healthy[ev["target"].get<std::string>()] = ev["reason"] == "target_healthy";
  std::set<std::string> back_with_the_zone, expected_back;
  for (const auto& ev : events)
    if (ev["kind"] == "instance_changed" && ev["up"] == true && ev["t"].get<double>() == disabled_at)
      back_with_the_zone.insert(ev["entity"].get<std::string>());
  for (const auto& id : e.zone_instances)
    if (!healthy.count(id) || healthy.at(id)) expected_back.insert(id);
  EXPECT_EQ(back_with_the_zone, expected_back);
  EXPECT_LT(expected_back.size(), e.zone_instances.size()) << "an unhealthy target must stay out";
  const auto out = out_of_service(events, w.duration_s + 1);
  int taken_out_after = 0;
  for (const auto& [instance, intervals] : out)
    for (const auto& [from, to] : intervals)
      if (from > disabled_at) {
        EXPECT_TRUE(e.hurt.count(instance)) << instance << " taken out with the zone failover off";
        ++taken_out_after;
      }
  EXPECT_GT(taken_out_after, 0);

  // At every sample after the action (the instants of a change excluded:
  // sampling order), availability is what the targets in service serve: the
  // service has no headroom, so each target out of service loses its share
  // of capacity and each hurt one in service its error rate of it.
  const auto& fault = w.faults.at(0);
  double total = 0;
  for (int i : w.services[0].instances) total += w.instances[static_cast<std::size_t>(i)].capacity_rps;
  double hurt_capacity = 0;
  for (int i : w.services[0].instances)
    if (e.hurt.count(w.instances[static_cast<std::size_t>(i)].id))
      hurt_capacity += w.instances[static_cast<std::size_t>(i)].capacity_rps;
  std::set<double> changes;
  for (const auto& ev : events)
    if (ev["kind"] == "instance_changed") changes.insert(ev["t"].get<double>());
  int after = 0;
  bool hurt_in_service = false, hurt_out_of_service = false;
  for (const auto& [t, a] : read_series(dir, "global", "", "availability")) {
    if (t <= disabled_at || changes.count(t)) continue;
    double served = 0;
    for (int i : w.services[0].instances) {
      const auto& instance = w.instances[static_cast<std::size_t>(i)];
      bool in = true;
      if (out.count(instance.id))
        for (const auto& [from, to] : out.at(instance.id)) in = in && !(t >= from && t < to);
      const double rate = fault.error_rate_by_variant[static_cast<std::size_t>(instance.variant)];
      if (e.hurt.count(instance.id)) (in ? hurt_in_service : hurt_out_of_service) = true;
      if (in) served += instance.capacity_rps * (1 - rate);
    }
    EXPECT_NEAR(a, served / total, exact) << t;
    // Never below the level with only the hurt targets out.
    EXPECT_GE(a, 1.0 - hurt_capacity / total - exact) << t;
    ++after;
  }
  EXPECT_GT(after, 0);
  EXPECT_TRUE(hurt_in_service && hurt_out_of_service) << "the hurt targets flap in and out";
  // That level is above the one with the zone withdrawn: disabling gives capacity back.
  EXPECT_GT(1.0 - hurt_capacity / total, 1.0 - e.zone_share);
}

TEST(LbFailoverDisabled, MitigatesTheFaultOnlyWhereItReturnsAZone) {
  const auto w = world_of("lb-failover-disabled");
  const std::string fault = w.faults.at(0).id;
  const auto with_zones = read_json(run_example("lb-failover-disabled") / "summary.json");
  EXPECT_EQ(with_zones["metrics"]["faults"][fault]["mitigated_at"].get<double>(), *w.actions.at(0).at_s);
  // Without zone failover the action returns nothing, so it mitigates nothing.
  const auto without = read_json(
      run_example("lb-failover-disabled", "--set providers.cloud.services.api.load_balancer.zone_failover_below=0") /
      "summary.json");
  EXPECT_TRUE(without["metrics"]["faults"][fault]["mitigated_at"].is_null()) << without.dump();
}

}  // namespace
}  // namespace outagesim

namespace outagesim {
namespace {

using namespace outagesim::testing;

// --- checks that fail on healthy targets ---------------------------------------------

TEST(LbHealthCheckOnly, TargetsFailingOnlyTheirChecksAreTakenOutWhileServingEveryRequest) {
  const auto w = world_of("lb-health-check-only");
  const auto& service = w.services.at(0);
  const auto& fault = w.faults.at(0);
  ASSERT_EQ(w.actions.size(), 1u);
  const double disabled_at = *w.actions[0].at_s;
  const double interval = service.load_balancer->interval_s;

  // From the scenario: the push fails no request (no plain error rate), only
  // checks, of one variant; which instances run it, the zone they share, and
  // the capacity left while that zone is withdrawn.
  for (double rate : fault.error_rate_by_variant) ASSERT_EQ(rate, 0.0);
  ASSERT_EQ(fault.config_effects.size(), 1u);
  const auto& effect = fault.config_effects[0];
  ASSERT_GT(effect.health_check_error_rate, 0.0);
  ASSERT_EQ(effect.error_rate, 0.0);
  std::set<std::string> hurt, zone_instances;
  int zone = -1;
  double total = 0, offered = 0, zone_capacity = 0, hurt_capacity = 0;
  for (int i : service.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    total += instance.capacity_rps;
    if (instance.variant != effect.variant) continue;
    hurt.insert(instance.id);
    hurt_capacity += instance.capacity_rps;
    zone = instance.region;
  }
  for (int i : service.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    if (instance.region != zone) continue;
    zone_instances.insert(instance.id);
    zone_capacity += instance.capacity_rps;
  }
  for (const auto& site : w.sites) offered += site.rps;
  ASSERT_LT(offered, total) << "headroom with every target in";
  ASSERT_GT(offered, total - zone_capacity) << "withdrawing the zone must cost requests";
  ASSERT_LE(offered, total - hurt_capacity) << "the targets failing checks alone must not be needed";
  const double zone_out = (total - zone_capacity) / offered;

  const auto dir = run_example("lb-health-check-only");
  const auto events = read_events(dir);

  // Every instance that applied the version serves every request: error rate 0.
  int applied = 0;
  for (const auto& ev : events)
    if (ev["kind"] == "config_applied" && hurt.count(ev["entity"].get<std::string>())) {
      EXPECT_EQ(ev["error_rate"].get<double>(), 0.0) << ev.dump();
      ++applied;
    }
  EXPECT_EQ(applied, static_cast<int>(hurt.size()));

  // Only the targets running the version turn unhealthy, and they flap; the
  // removals are owed to the fault.
  std::map<std::string, int> unhealthy_turns;
  for (const auto& ev : lb_events(events, "target_unhealthy")) {
    EXPECT_GT(ev["t"].get<double>(), fault.at_s);
    EXPECT_TRUE(hurt.count(ev["target"].get<std::string>())) << ev.dump();
    ++unhealthy_turns[ev["target"].get<std::string>()];
  }
  EXPECT_EQ(unhealthy_turns.size(), hurt.size());
  for (const auto& [target, turns] : unhealthy_turns) EXPECT_GE(turns, 2) << target << " must flap";
  EXPECT_NE(slurp(dir / "attribution.csv").find(fault.id), std::string::npos);

  // Availability: the zone's withdrawal costs exactly its capacity beyond the
  // offered load; at every other sample, before the action and after it,
  // every request is served, a fresh target in service or not.
  const auto series = read_series(dir, "global", "", "availability");
  const auto spans = withdrawals(events, w.duration_s + 1);
  ASSERT_FALSE(spans.empty());
  for (const auto& [from, to] : spans) EXPECT_LE(to, disabled_at) << "no zone is withdrawn after the action";
  int withdrawn_samples = 0, hurt_out_after = 0;
  const auto out = out_of_service(events, w.duration_s + 1);
  for (const auto& [t, a] : series) {
    bool inside = false, at_change = false;
    for (const auto& [from, to] : spans) {
      inside = inside || (t > from && t < to);
      at_change = at_change || t == from || t == to;
    }
    if (at_change) continue;  // sampling order at the instant of a change
    if (inside) {
      EXPECT_NEAR(a, zone_out, exact) << t;
      ++withdrawn_samples;
    } else {
      EXPECT_NEAR(a, 1.0, exact) << t;
    }
  }
  EXPECT_GT(withdrawn_samples, 0);
  for (const auto& id : hurt)
    if (out.count(id))
      for (const auto& [from, to] : out.at(id)) hurt_out_after += from > disabled_at + interval ? 1 : 0;
  EXPECT_GT(hurt_out_after, 0) << "after the action the checks still take the fresh targets out";
}

TEST(LbHealthCheckOnly, WithoutTheKeyTheSameRunHasNoLoadBalancerChange) {
  // The key, not something else in the scenario, is what fails the checks.
  const auto dir = run_example("lb-health-check-only", "--set 'faults[0].effects[0].health_check_error_rate=0'");
  const auto events = read_events(dir);
  EXPECT_TRUE(lb_events(events, "target_unhealthy").empty());
  EXPECT_TRUE(lb_events(events, "zone_withdrawn").empty());
}

TEST(LbValidate, PrintsTheLoadBalancerAndWhatDisableFailoverNames) {
  const Outcome o = outagesim(fmt::format("validate '{}'", example("lb-failover-disabled")));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("behind a load balancer: checks every 10s, unhealthy after 2 failures, healthy after 5 "
                       "passes, a region withdrawn below 80% healthy"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("operator cloud-sre: disable_failover cloud.api (load balancer)\n"), std::string::npos) << o.out;
  // Without zone failover the switch has nothing to turn off, and validate says so.
  const Outcome off = outagesim(fmt::format("validate '{}' --no-simulate --set {}=0", example("lb-failover-disabled"),
                                            "providers.cloud.services.api.load_balancer.zone_failover_below"));
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(off.out.find("operator cloud-sre: disable_failover cloud.api (load balancer without zone failover: "
                         "nothing to turn off or on)"),
            std::string::npos)
      << off.out;
}

}  // namespace
}  // namespace outagesim
