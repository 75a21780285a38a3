// The instance-fault examples (scenarios/examples/fault-*.yaml), each run
// through the CLI and checked against what its own numbers imply: the
// expected values are computed here from the loaded scenario and its world,
// never copied from a run.
#include "example_run.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// The engine's restart time for an operator's restart (engine::default_restart_s,
/// documented in docs/scenario-reference.md).
constexpr double operator_restart_s = 30;

/// Samples this close to a fault's start or end may fall on either side of it.
constexpr double boundary_s = 1e-6;

/// Runs an example, with `set` as one --set override if given, and loads
/// what the test needs to compute the expected effects.
ExampleRun run(const std::string& name, const std::string& set = "") {
  return run_loaded_example(name, set.empty() ? std::vector<std::string>{} : std::vector<std::string>{set});
}

int fault_index(const world::World& w, const std::string& id) {
  for (std::size_t f = 0; f < w.faults.size(); ++f)
    if (w.faults[f].id == id) return static_cast<int>(f);
  throw std::runtime_error("no fault " + id);
}

std::set<std::string> ids_of(const world::World& w, const std::vector<int>& instances) {
  std::set<std::string> out;
  for (int i : instances) out.insert(w.instances[static_cast<std::size_t>(i)].id);
  return out;
}

/// Share of the requests a service serves with `out` of its instances down:
/// min(1, capacity left / offered load), as docs/scenario-reference.md states.
double served_without(const world::World& w, int service, const std::set<std::string>& out, double load_factor = 1) {
  const auto& s = w.services[static_cast<std::size_t>(service)];
  double capacity = 0;
  for (int i : s.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    if (!out.contains(instance.id)) capacity += instance.capacity_rps;
  }
  return std::min(1.0, capacity / (s.offered_rps * load_factor));
}

/// The instance_changed events of each instance, in order.
std::map<std::string, std::vector<nlohmann::json>> instance_changes(const std::vector<nlohmann::json>& events) {
  std::map<std::string, std::vector<nlohmann::json>> out;
  for (const auto& e : events)
    if (e["kind"] == "instance_changed") out[e["entity"].get<std::string>()].push_back(e);
  return out;
}

/// The most instances down at once, from the instance_changed events.
int most_down_at_once(const std::vector<nlohmann::json>& events) {
  int down = 0, most = 0;
  for (const auto& e : events) {
    if (e["kind"] != "instance_changed") continue;
    down += e["up"] == true ? -1 : 1;
    most = std::max(most, down);
  }
  return most;
}

/// Checks every sample of `series`: `inside` strictly within (from, to), 1
/// strictly before `from` and after `to`.
void expect_window(const std::vector<std::pair<double, double>>& series, double from, double to, double inside) {
  ASSERT_FALSE(series.empty());
  int checked_inside = 0;
  for (const auto& [t, value] : series) {
    if (t > from + boundary_s && t < to - boundary_s) {
      EXPECT_NEAR(value, inside, 1e-12) << "t = " << t;
      ++checked_inside;
    } else if (t < from - boundary_s || t > to + boundary_s) {
      EXPECT_EQ(value, 1.0) << "t = " << t;
    }
  }
  EXPECT_GT(checked_inside, 0);
}

/// Upper bound on the time a push of the scenario's first channel takes to be
/// applied by a consumer: every copy through the publisher's uplink one after
/// the other, one copy through an access link, the longest one-way latency on
/// Earth (under 0.2 s), and the apply delay.
double propagation_bound_s(const ExampleRun& r) {
  const auto& provider = r.scenario.providers.at(0);
  const auto& channel = provider.channels.at(0);
  const auto& service = provider.services.at(0);
  const double copies = static_cast<double>(r.world.instances.size());
  return copies * channel.size_bytes / channel.uplink_Bps + channel.size_bytes / service.access_bandwidth_Bps + 0.2 +
         channel.apply_delay_s;
}

/// When each instance first applied `version`.
std::map<std::string, double> applied_at(const std::vector<nlohmann::json>& events, const std::string& version) {
  std::map<std::string, double> out;
  for (const auto& e : events)
    if (e["kind"] == "config_applied" && e["version"] == version) out.emplace(e["entity"].get<std::string>(), e["t"]);
  return out;
}

TEST(FaultExamples, CapacityLossServesWhatTheCapacityLeftCovers) {
  const ExampleRun r = run("fault-capacity-loss");
  const auto& f = r.world.faults[0];
  const auto& loss = std::get<scenario::faults::CapacityLoss>(f.kind);
  const auto& service = r.world.services[static_cast<std::size_t>(f.service)];
  double capacity = 0;
  for (int i : service.instances) {
    const bool hit = std::find(f.instances.begin(), f.instances.end(), i) != f.instances.end();
    capacity += r.world.instances[static_cast<std::size_t>(i)].capacity_rps * (hit ? loss.capacity_factor : 1.0);
  }
  const double expected = std::min(1.0, capacity / service.offered_rps);
  ASSERT_LT(expected, 1.0) << "the example must lose more capacity than its headroom";
  const auto eligible = static_cast<double>(service.instances.size());
  ASSERT_EQ(f.instances.size(),
            static_cast<std::size_t>(std::ceil(*loss.target.percent * eligible - 1e-9)));
  expect_window(read_series(r.dir, "global", "", "availability"), f.at_s, f.at_s + *f.duration_s, expected);

  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), f.instances.size());
  for (const auto& id : ids_of(r.world, f.instances)) {
    ASSERT_EQ(changes.at(id).size(), 2u) << id;
    EXPECT_EQ(changes.at(id)[0]["t"], f.at_s);
    EXPECT_EQ(changes.at(id)[0]["capacity_factor"], loss.capacity_factor);
    EXPECT_EQ(changes.at(id)[0]["cause"], "fault:" + f.id);
    EXPECT_EQ(changes.at(id)[1]["t"], f.at_s + *f.duration_s);
    EXPECT_EQ(changes.at(id)[1]["capacity_factor"], 1.0);
  }
}

TEST(FaultExamples, LoadSurgeServesCapacityOverTheSurgedLoad) {
  const ExampleRun r = run("fault-load-surge");
  const auto& f = r.world.faults[0];
  const double load_factor = world::surge_load_factor(f);
  const double expected = served_without(r.world, f.service, {}, load_factor);
  ASSERT_LT(expected, 1.0);
  expect_window(read_series(r.dir, "global", "", "availability"), f.at_s, f.at_s + *f.duration_s, expected);
  std::vector<std::pair<double, double>> surges;
  for (const auto& e : r.events)
    if (e["kind"] == "service_changed") {
      EXPECT_EQ(e["entity"], r.world.services[static_cast<std::size_t>(f.service)].id);
      EXPECT_EQ(e["cause"], "fault:ddos");
      surges.emplace_back(e["t"], e["load_factor"]);
    }
  const std::vector<std::pair<double, double>> want{{f.at_s, load_factor}, {f.at_s + *f.duration_s, 1.0}};
  EXPECT_EQ(surges, want);
}

TEST(FaultExamples, CrashesComeBackAfterDownOrWhenTheOperatorRestartsThem) {
  const ExampleRun r = run("fault-crash");
  const auto& self_healing = r.world.faults[static_cast<std::size_t>(fault_index(r.world, "pops-crash"))];
  const auto& wedged = r.world.faults[static_cast<std::size_t>(fault_index(r.world, "eu-proxy-wedged"))];
  const auto& restart = r.world.actions.at(0);
  ASSERT_TRUE(std::holds_alternative<scenario::actions::Restart>(restart.kind));
  const double restart_jitter_s = std::get<scenario::actions::Restart>(restart.kind).jitter_s;
  const double self_healing_down_s = *std::get<scenario::faults::Crash>(self_healing.kind).down_s;
  const double restart_at = *restart.at_s;
  const auto series = read_series(r.dir, "global", "", "availability");

  // The first crash: down for `down`, then back by itself.
  const double first = served_without(r.world, self_healing.service, ids_of(r.world, self_healing.instances));
  ASSERT_LT(first, 1.0);
  for (const auto& [t, value] : series) {
    if (t > self_healing.at_s && t < self_healing.at_s + self_healing_down_s) {
      EXPECT_NEAR(value, first, 1e-12) << t;
    }
    if ((t > self_healing.at_s + self_healing_down_s && t < wedged.at_s) || t < self_healing.at_s) {
      EXPECT_EQ(value, 1.0) << t;
    }
  }

  // The second: down with no end of its own until the restart.
  const double second = served_without(r.world, wedged.service, ids_of(r.world, wedged.instances));
  ASSERT_LT(second, 1.0);
  for (const auto& [t, value] : series) {
    if (t > wedged.at_s && t < restart_at + operator_restart_s) {
      EXPECT_NEAR(value, second, 1e-12) << t;
    }
    if (t > restart_at + restart_jitter_s + operator_restart_s) {
      EXPECT_EQ(value, 1.0) << t;
    }
  }
  const auto changes = instance_changes(r.events);
  EXPECT_EQ(restart.instances, wedged.instances);
  for (const auto& id : ids_of(r.world, wedged.instances)) {
    const auto& last = changes.at(id).back();
    EXPECT_EQ(last["up"], true) << id;
    EXPECT_EQ(last["cause"], "operator:cdn-sre") << id;
    EXPECT_GE(last["t"].get<double>(), restart_at + operator_restart_s) << id;
    EXPECT_LT(last["t"].get<double>(), restart_at + restart_jitter_s + operator_restart_s) << id;
  }
  // The crash with `down` ends by itself; the wedged one when the operator's
  // restart has brought back its last instance (docs/outputs.md).
  std::map<std::string, std::string> ended;
  for (const auto& e : r.events)
    if (e["kind"] == "fault_ended") ended[e["entity"]] = e["cause"];
  EXPECT_EQ(ended, (std::map<std::string, std::string>{{"pops-crash", "fault:pops-crash"},
                                                       {"eu-proxy-wedged", "operator:cdn-sre"}}));
}

TEST(FaultExamples, CrashLoopAlternatesDownAndUpInPhase) {
  const ExampleRun r = run("fault-crash-loop");
  const auto& f = r.world.faults[0];
  const auto& loop = std::get<scenario::faults::CrashLoop>(f.kind);
  const double cycle = loop.up_s + loop.down_s;
  const double end = f.at_s + *f.duration_s;
  const auto crashes = static_cast<std::size_t>(std::ceil(*f.duration_s / cycle));
  ASSERT_GT(crashes, 1u);
  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), f.instances.size());  // the others never change
  for (const auto& id : ids_of(r.world, f.instances)) {
    const auto& mine = changes.at(id);
    ASSERT_EQ(mine.size(), 2 * crashes) << id;
    for (std::size_t k = 0; k < crashes; ++k) {
      const double down_at = f.at_s + static_cast<double>(k) * cycle;
      EXPECT_EQ(mine[2 * k]["up"], false);
      EXPECT_NEAR(mine[2 * k]["t"].get<double>(), down_at, 1e-9);
      EXPECT_EQ(mine[2 * k + 1]["up"], true);
      EXPECT_NEAR(mine[2 * k + 1]["t"].get<double>(), std::min(down_at + loop.down_s, end), 1e-9);
    }
  }
  // Availability follows the phases.
  const double down = served_without(r.world, f.service, ids_of(r.world, f.instances));
  ASSERT_LT(down, 1.0);
  for (const auto& [t, value] : read_series(r.dir, "global", "", "availability")) {
    if (t < f.at_s - boundary_s || t > end + boundary_s) {
      EXPECT_EQ(value, 1.0) << t;
      continue;
    }
    const double phase = std::fmod(t - f.at_s, cycle);
    if (phase > boundary_s && phase < loop.down_s - boundary_s && t < end - boundary_s) {
      EXPECT_NEAR(value, down, 1e-12) << t;
    }
    if (phase > loop.down_s + boundary_s && phase < cycle - boundary_s) {
      EXPECT_EQ(value, 1.0) << t;
    }
  }
  double ended = -1;
  for (const auto& e : r.events)
    if (e["kind"] == "fault_ended") ended = e["t"];
  EXPECT_NEAR(ended, end, 1e-9);
}

TEST(FaultExamples, RestartHerdTakesAllTargetsDownAtTheSameInstant) {
  const ExampleRun r = run("fault-restart-herd");
  const auto& f = r.world.faults[0];
  const auto& restart = std::get<scenario::faults::Restart>(f.kind);
  ASSERT_EQ(restart.jitter_s, 0.0);
  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), f.instances.size());
  for (const auto& id : ids_of(r.world, f.instances)) {
    ASSERT_EQ(changes.at(id).size(), 2u) << id;
    EXPECT_EQ(changes.at(id)[0]["t"], f.at_s);
    EXPECT_EQ(changes.at(id)[0]["up"], false);
    EXPECT_EQ(changes.at(id)[1]["t"], f.at_s + *restart.down_s);
    EXPECT_EQ(changes.at(id)[1]["up"], true);
  }
  EXPECT_EQ(most_down_at_once(r.events), static_cast<int>(f.instances.size()));
  const double herd = served_without(r.world, f.service, ids_of(r.world, f.instances));
  ASSERT_LT(herd, 1.0);
  expect_window(read_series(r.dir, "global", "", "availability"), f.at_s, f.at_s + *restart.down_s, herd);
  EXPECT_NEAR(read_json(r.dir / "summary.json")["metrics"]["availability_min"].get<double>(), herd, 1e-12);
}

TEST(FaultExamples, JitteredRestartSpreadsTheSameRestartsOverTheWindow) {
  const ExampleRun r = run("fault-restart-jittered");
  const auto& f = r.world.faults[0];
  const auto& restart = std::get<scenario::faults::Restart>(f.kind);
  ASSERT_GT(restart.jitter_s, *restart.down_s);
  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), f.instances.size());
  std::set<double> downs;
  for (const auto& id : ids_of(r.world, f.instances)) {
    const auto& mine = changes.at(id);
    ASSERT_EQ(mine.size(), 2u) << id;
    const double down_at = mine[0]["t"];
    EXPECT_EQ(mine[0]["up"], false);
    EXPECT_GE(down_at, f.at_s);
    EXPECT_LT(down_at, f.at_s + restart.jitter_s);
    EXPECT_NEAR(mine[1]["t"].get<double>(), down_at + *restart.down_s, 1e-9);
    downs.insert(down_at);
  }
  EXPECT_EQ(downs.size(), f.instances.size());  // no two at the same instant
  EXPECT_GT(*downs.rbegin() - *downs.begin(), restart.jitter_s / 2);
  EXPECT_LT(most_down_at_once(r.events), static_cast<int>(f.instances.size()));
  const double herd = served_without(r.world, f.service, ids_of(r.world, f.instances));
  EXPECT_GT(read_json(r.dir / "summary.json")["metrics"]["availability_min"].get<double>(), herd);
}

TEST(FaultExamples, SameSeedGivesIdenticalEventsAndAnotherSeedOtherRestartTimes) {
  const auto a = slurp(run_example("fault-restart-jittered") / "events.jsonl");
  const auto b = slurp(run_example("fault-restart-jittered") / "events.jsonl");
  const auto c = slurp(run_example("fault-restart-jittered", "--seed 99") / "events.jsonl");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(slurp(run_example("fault-partition") / "events.jsonl"), slurp(run_example("fault-partition") / "events.jsonl"));
}

TEST(FaultExamples, LatencyInjectionIsRecordedAndShowsInTheLatencyPercentiles) {
  const ExampleRun r = run("fault-latency-injection");
  const auto& f = r.world.faults[0];
  const double latency_s = std::get<scenario::faults::LatencyInjection>(f.kind).latency_s;
  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), f.instances.size());
  for (const auto& id : ids_of(r.world, f.instances)) {
    ASSERT_EQ(changes.at(id).size(), 2u) << id;
    EXPECT_EQ(changes.at(id)[0]["t"], f.at_s);
    EXPECT_EQ(changes.at(id)[0]["added_latency_s"], latency_s);
    EXPECT_EQ(changes.at(id)[0]["up"], true);
    EXPECT_EQ(changes.at(id)[1]["t"], f.at_s + *f.duration_s);
    EXPECT_EQ(changes.at(id)[1]["added_latency_s"], 0.0);
  }
  // 200 ms is far below the default 10 s timeout: nothing fails.
  for (const auto& [t, value] : read_series(r.dir, "global", "", "availability")) EXPECT_EQ(value, 1.0) << t;
  // The slowed PoPs hold a third of the capacity, so of the requests: the
  // median is untouched and the 95th percentile is the injected latency.
  const double slowed_share = static_cast<double>(f.instances.size()) /
                              static_cast<double>(r.world.services[0].instances.size());
  ASSERT_LT(slowed_share, 0.5);
  ASSERT_GT(slowed_share, 0.05);
  const auto p50 = read_series(r.dir, "service", "cdn.proxy", "latency_p50_s");
  const auto p95 = read_series(r.dir, "service", "cdn.proxy", "latency_p95_s");
  ASSERT_EQ(p50.size(), p95.size());
  for (std::size_t k = 0; k < p95.size(); ++k) {
    const double t = p95[k].first;
    const bool during = t >= f.at_s && t < f.at_s + *f.duration_s;
    EXPECT_EQ(p50[k].second, 0.0) << t;
    EXPECT_DOUBLE_EQ(p95[k].second, during ? latency_s : 0.0) << t;
  }
}

/// The partitioned instances, the others, and the partition's times.
struct PartitionFacts {
  std::set<std::string> inside, outside;
  double from = 0, to = 0, push = 0;
};

PartitionFacts partition_facts(const ExampleRun& r) {
  const auto& cut = r.world.faults[static_cast<std::size_t>(fault_index(r.world, "apac-cut"))];
  PartitionFacts p{{}, {}, cut.at_s, cut.at_s + *cut.duration_s,
                   r.world.faults[static_cast<std::size_t>(fault_index(r.world, "bad-file"))].at_s};
  for (const auto& i : r.world.instances)
    (std::find(cut.regions.begin(), cut.regions.end(), i.region) != cut.regions.end() ? p.inside : p.outside).insert(i.id);
  return p;
}

TEST(FaultExamples, PartitionKeepsTheCutOffOnTheOldVersionUntilItHeals) {
  const ExampleRun r = run("fault-partition");
  const PartitionFacts p = partition_facts(r);
  ASSERT_GT(p.push, p.from);
  ASSERT_LT(p.push, p.to);
  ASSERT_FALSE(p.inside.empty());
  const double bound = propagation_bound_s(r);

  const auto applied = applied_at(r.events, "cdn.features@v1");
  EXPECT_EQ(applied.size(), r.world.instances.size());  // in the end, everyone runs it
  for (const auto& id : p.outside) {
    ASSERT_TRUE(applied.contains(id)) << id;
    EXPECT_GT(applied.at(id), p.push) << id;
    EXPECT_LT(applied.at(id), p.push + bound) << id;
  }
  for (const auto& id : p.inside) {
    ASSERT_TRUE(applied.contains(id)) << id;
    EXPECT_GT(applied.at(id), p.to) << id;  // not a byte crossed the partition
    EXPECT_LT(applied.at(id), p.to + bound) << id;
  }

  // Down for clients while cut off; before the push, only capacity is missing.
  const auto changes = instance_changes(r.events);
  for (const auto& id : p.inside) {
    ASSERT_EQ(changes.at(id).size(), 2u) << id;
    EXPECT_EQ(changes.at(id)[0]["t"], p.from);
    EXPECT_EQ(changes.at(id)[1]["t"], p.to);
  }
  const double cut_off = served_without(r.world, 0, p.inside);
  ASSERT_LT(cut_off, 1.0);
  const double revert = *r.world.actions.at(0).at_s;
  for (const auto& [t, value] : read_series(r.dir, "global", "", "availability")) {
    if (t > p.from + boundary_s && t < p.push - boundary_s) {
      EXPECT_NEAR(value, cut_off, 1e-12) << t;
    }
    if (t < p.from - boundary_s || t > revert + bound) {
      EXPECT_EQ(value, 1.0) << t;
    }
  }
}

TEST(FaultExamples, PartitionCutOffRelaysAndPollersCatchUpAfterTheHeal) {
  for (const char* topology : {"{kind: tree, fanout: 2}", "{kind: pull, period: 1m}"}) {
    const ExampleRun r = run("fault-partition", fmt::format("providers.cdn.channels.features.topology={}", topology));
    const PartitionFacts p = partition_facts(r);
    const auto applied = applied_at(r.events, "cdn.features@v1");
    EXPECT_EQ(applied.size(), r.world.instances.size()) << topology;
    // A relay cut off takes its subtree with it, outside too: all are sent
    // the version again at the heal. Pollers fetch it at their next poll.
    const auto& channel = r.scenario.providers[0].channels[0];
    const double catch_up = channel.topology.period_s + propagation_bound_s(r);
    // Any transfer crosses the consumer's access link, from the publisher or a relay.
    const double one_copy =
        channel.apply_delay_s + channel.size_bytes / r.scenario.providers[0].services[0].access_bandwidth_Bps;
    for (const auto& [id, t] : applied) {
      EXPECT_LT(t, p.to + catch_up) << topology << " " << id;
      EXPECT_GT(t, (t > p.to ? p.to : p.push) + one_copy) << topology << " " << id;
      if (p.inside.contains(id)) {
        EXPECT_GT(t, p.to) << topology << " " << id;
      }
    }
  }
}

TEST(FaultExamples, RouteWithdrawalTakesOnlyTheProvidersRegionDownAndSparesConfig) {
  const ExampleRun r = run("fault-route-withdrawal");
  const auto& f = r.world.faults[0];
  std::set<std::string> withdrawn;
  for (const auto& i : r.world.instances)
    if (r.world.services[static_cast<std::size_t>(i.service)].provider == f.provider &&
        std::find(f.regions.begin(), f.regions.end(), i.region) != f.regions.end())
      withdrawn.insert(i.id);
  ASSERT_FALSE(withdrawn.empty());

  const auto changes = instance_changes(r.events);
  EXPECT_EQ(changes.size(), withdrawn.size());  // the other provider's instances there stay
  for (const auto& id : withdrawn) {
    ASSERT_EQ(changes.at(id).size(), 2u) << id;
    EXPECT_EQ(changes.at(id)[0]["up"], false);
    EXPECT_EQ(changes.at(id)[0]["t"], f.at_s);
    EXPECT_EQ(changes.at(id)[1]["t"], f.at_s + *f.duration_s);
  }
  int cdn = -1;
  for (std::size_t s = 0; s < r.world.services.size(); ++s)
    if (r.world.services[s].provider == f.provider) cdn = static_cast<int>(s);
  const double expected = served_without(r.world, cdn, withdrawn);
  ASSERT_LT(expected, 1.0);
  expect_window(read_series(r.dir, "site", "shop.example", "availability"), f.at_s, f.at_s + *f.duration_s, expected);
  for (const auto& [t, value] : read_series(r.dir, "site", "app.example", "availability")) EXPECT_EQ(value, 1.0) << t;

  // The push during the withdrawal reaches the withdrawn PoPs like the others.
  const double push = *r.world.actions.at(0).at_s;
  ASSERT_GT(push, f.at_s);
  ASSERT_LT(push, f.at_s + *f.duration_s);
  const auto applied = applied_at(r.events, "cdn.features@v1");
  EXPECT_EQ(applied.size(), r.world.services[static_cast<std::size_t>(cdn)].instances.size());
  for (const auto& [id, t] : applied) EXPECT_LT(t, push + propagation_bound_s(r)) << id;
  for (const auto& id : withdrawn) EXPECT_TRUE(applied.contains(id)) << id;
}

TEST(FaultExamples, OverlappingFaultsOnOneInstanceCompose) {
  // Two capacity losses, a partition and a crash on the same eu-west PoPs:
  // capacity factors multiply, the instance is down while either the
  // partition or the crash holds it, and each fault's end lifts only its own part.
  const fs::path dir = fresh_dir("compose");
  std::ofstream(dir / "compose.yaml")
      << "scenario: {name: compose, start: 2025-06-02T14:00:00Z, duration: 30m}\n"
         "providers:\n"
         "  - name: cdn\n"
         "    services: [{name: proxy, instances: {eu-west: 2, na-east: 2}, capacity: 10k rps}]\n"
         "sites: [{name: s, rps: 30k rps, depends_on: [{target: cdn.proxy}]}]\n"
         "faults:\n"
         "  - {id: slow, kind: capacity_loss, at: +1m, duration: 20m, capacity_factor: 50%,\n"
         "     target: {service: cdn.proxy, regions: [eu-west]}}\n"
         "  - {id: slower, kind: capacity_loss, at: +2m, duration: 1m, capacity_factor: 50%,\n"
         "     target: {service: cdn.proxy, regions: [eu-west]}}\n"
         "  - {id: cut, kind: partition, at: +5m, duration: 5m, regions: [eu-west]}\n"
         "  - {id: crash, kind: crash, at: +7m, duration: 10m, target: {service: cdn.proxy, regions: [eu-west]}}\n"
         "output: {resolution: 10s}\n";
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", (dir / "compose.yaml").string(), (dir / "out").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto changes = instance_changes(read_events(dir / "out"));
  EXPECT_EQ(changes.size(), 2u);
  struct Seen {
    double t;
    bool up;
    double capacity_factor;
    std::string cause;
    bool operator==(const Seen&) const = default;
  };
  const std::vector<Seen> want{{60, true, 0.5, "fault:slow"},     {120, true, 0.25, "fault:slower"},
                               {180, true, 0.5, "fault:slower"},  {300, false, 0.5, "fault:cut"},
                               {1020, true, 0.5, "fault:crash"},  {1260, true, 1.0, "fault:slow"}};
  for (const char* id : {"cdn.proxy/eu-west/0", "cdn.proxy/eu-west/1"}) {
    std::vector<Seen> seen;
    for (const auto& e : changes.at(id))
      seen.push_back({e["t"], e["up"], e["capacity_factor"], e["cause"].get<std::string>()});
    EXPECT_TRUE(seen == want) << id;
  }
  for (const auto& [t, value] : read_series(dir / "out", "global", "", "availability")) {
    if (t > 120 && t < 180) {
      EXPECT_NEAR(value, 25.0 / 30.0, 1e-12) << t;
    }
    if (t > 300 && t < 1020) {
      EXPECT_NEAR(value, 20.0 / 30.0, 1e-12) << t;
    }
  }
  fs::remove_all(dir);
}

TEST(FaultExamples, RegionalScopeSurgesOnlyTheirClientsAndDegradesOnlyTheirInstances) {
  const ExampleRun r = run("fault-regional-scope");
  const auto& surge = r.world.faults.at(static_cast<std::size_t>(fault_index(r.world, "eu-flash-crowd")));
  const auto& loss = r.world.faults.at(static_cast<std::size_t>(fault_index(r.world, "atlantic-pool-wedged")));
  ASSERT_FALSE(surge.regions.empty());
  // The users' mean factor: the surge's for the client regions it lists, 1 elsewhere.
  double users = 0, surged = 0;
  for (std::size_t c = 0; c < r.world.client_regions.size(); ++c) {
    const int region = r.world.platform.clients[c].region;
    const bool inside = std::find(surge.regions.begin(), surge.regions.end(), region) != surge.regions.end();
    users += r.world.client_regions[c].users;
    surged += r.world.client_regions[c].users * (inside ? world::surge_load_factor(surge) : 1.0);
  }
  const double mean = surged / users;
  ASSERT_LT(mean, world::surge_load_factor(surge)) << "a regional surge grows the load by less than its factor";
  const double while_surging = served_without(r.world, surge.service, {}, mean);
  ASSERT_LT(while_surging, 1.0);
  ASSERT_GT(while_surging, served_without(r.world, surge.service, {}, world::surge_load_factor(surge)));

  // The capacity left: the loss's share on its instances (those of its regions), full elsewhere.
  const auto& service = r.world.services[static_cast<std::size_t>(loss.service)];
  const double left = std::get<scenario::faults::CapacityLoss>(loss.kind).capacity_factor;
  double capacity = 0;
  for (int i : service.instances) {
    const bool hit = std::find(loss.instances.begin(), loss.instances.end(), i) != loss.instances.end();
    capacity += r.world.instances[static_cast<std::size_t>(i)].capacity_rps * (hit ? left : 1.0);
  }
  ASSERT_LT(loss.instances.size(), service.instances.size());
  const double while_degraded = std::min(1.0, capacity / service.offered_rps);

  const auto series = read_series(r.dir, "global", "", "availability");
  int in_surge = 0, in_loss = 0;
  for (const auto& [t, value] : series) {
    const auto near = [&](double x) { return std::abs(t - x) <= boundary_s; };
    if (near(surge.at_s) || near(surge.at_s + *surge.duration_s) || near(loss.at_s) || near(loss.at_s + *loss.duration_s))
      continue;
    double expected = 1.0;
    if (t > surge.at_s && t < surge.at_s + *surge.duration_s) {
      expected = while_surging;
      ++in_surge;
    } else if (t > loss.at_s && t < loss.at_s + *loss.duration_s) {
      expected = while_degraded;
      ++in_loss;
    }
    EXPECT_NEAR(value, expected, 1e-12) << "t = " << t;
  }
  EXPECT_GT(in_surge, 0);
  EXPECT_GT(in_loss, 0);
  // As users see it (docs/models/routing.md): each region's own users are
  // served first by the PoPs there; the other regions' PoPs cover their own
  // users, so only the surged region's users go short, getting what room is
  // left: the total capacity less the other regions' demand.
  double total_capacity = 0;
  for (int i : service.instances) total_capacity += r.world.instances[static_cast<std::size_t>(i)].capacity_rps;
  std::vector<double> demand;
  double others = 0;
  for (std::size_t c = 0; c < r.world.client_regions.size(); ++c) {
    const int region = r.world.platform.clients[c].region;
    const bool inside = std::find(surge.regions.begin(), surge.regions.end(), region) != surge.regions.end();
    demand.push_back(service.offered_rps * r.world.client_regions[c].users / users *
                     (inside ? world::surge_load_factor(surge) : 1.0));
    if (inside) continue;
    others += demand.back();
    double local = 0;
    for (int i : service.instances)
      if (r.world.instances[static_cast<std::size_t>(i)].region == region)
        local += r.world.instances[static_cast<std::size_t>(i)].capacity_rps;
    ASSERT_GE(local, demand.back()) << r.world.client_region_names[c] << "'s PoPs cover its own users";
  }
  for (std::size_t c = 0; c < r.world.client_regions.size(); ++c) {
    const int region = r.world.platform.clients[c].region;
    const bool inside = std::find(surge.regions.begin(), surge.regions.end(), region) != surge.regions.end();
    const double expected = inside ? (total_capacity - others) / demand[c] : 1.0;
    const std::string entity = service.id + "/" + r.world.client_region_names[c];
    int checked = 0;
    for (const auto& [t, value] : read_series(r.dir, "service", entity, "client_availability"))
      if (t > surge.at_s + boundary_s && t < surge.at_s + *surge.duration_s - boundary_s) {
        EXPECT_NEAR(value, expected, 1e-12) << entity << " t = " << t;
        ++checked;
      }
    EXPECT_GT(checked, 0) << entity;
  }
  // The service's load_factor is that of the surges on every client: 1.
  for (const auto& e : r.events)
    if (e["kind"] == "service_changed") {
      EXPECT_EQ(e["load_factor"], 1.0) << e.dump();
    }
}

TEST(OperatorExamples, EndFaultEndsEachWaveOnceItsDetectionIsDiagnosed) {
  const ExampleRun r = run("operator-end-fault");
  const auto& team = r.world.operators.at(0);
  const auto& rule = team.detection.at(0);
  const double tick = r.world.resolution_s;
  std::vector<double> detected;
  std::map<std::string, std::pair<double, std::string>> ended;  // fault id -> (t, cause)
  for (const auto& e : r.events) {
    if (e["kind"] == "operator_detected") detected.push_back(e["t"]);
    if (e["kind"] == "fault_ended") ended[e["entity"].get<std::string>()] = {e["t"], e["cause"]};
  }
  ASSERT_EQ(r.world.faults.size(), 2u);
  ASSERT_EQ(detected.size(), 2u) << "the alert re-arms after the first wave: each wave is detected";
  std::vector<std::pair<double, double>> waves;  // (begins, ends)
  for (std::size_t w = 0; w < 2; ++w) {
    const auto& f = r.world.faults[w];
    const double served = served_without(r.world, f.service, {}, world::surge_load_factor(f));
    ASSERT_GT(1 - served, rule.above) << "the wave must trip the alert";
    // Beyond the threshold from the first tick at or after the wave begins.
    const double earliest = f.at_s + rule.for_s + rule.reporting_delay_s;
    EXPECT_GE(detected[w], earliest - 1e-9);
    EXPECT_LT(detected[w], earliest + tick + 1e-9);
    ASSERT_TRUE(ended.contains(f.id)) << f.id;
    EXPECT_NEAR(ended[f.id].first, detected[w] + team.diagnosis_s, 1e-9) << f.id;
    EXPECT_EQ(ended[f.id].second, "operator:" + r.scenario.operators.at(0).name);
    if (f.duration_s) {
      EXPECT_LT(ended[f.id].first, f.at_s + *f.duration_s);
    }
    waves.emplace_back(f.at_s, ended[f.id].first);
  }
  const double served = served_without(r.world, r.world.faults[0].service, {}, world::surge_load_factor(r.world.faults[0]));
  int inside = 0;
  for (const auto& [t, value] : read_series(r.dir, "global", "", "availability")) {
    bool in = false, near_edge = false;
    for (const auto& [from, to] : waves) {
      in = in || (t > from + boundary_s && t < to - boundary_s);
      near_edge = near_edge || std::abs(t - from) <= boundary_s || std::abs(t - to) <= boundary_s;
    }
    if (near_edge) continue;
    if (in) ++inside;
    EXPECT_NEAR(value, in ? served : 1.0, 1e-12) << "t = " << t;
  }
  EXPECT_GT(inside, 0);
  const auto summary = read_json(r.dir / "summary.json")["metrics"]["faults"];
  EXPECT_EQ(summary["wave-1"]["mitigated_at"], waves[0].second);
  EXPECT_EQ(summary["wave-2"]["mitigated_at"], waves[1].second);
}

TEST(OperatorExamples, RemediationBringsInstancesBackAtTheStaffsPaceAndChargesTheirReloadsToTheFault) {
  const ExampleRun r = run("operator-remediate");
  const auto& f = r.world.faults.at(0);
  const auto& action = r.world.actions.at(0);
  const auto& pace = std::get<scenario::actions::Remediate>(action.kind);
  // The expected times from the numbers: the smallest of ramp_up * m / staff
  // + per_instance * n over every person m and n >= 1.
  std::vector<double> candidates;
  for (int m = 0; m < *pace.staff; ++m)
    for (std::size_t n = 1; n <= f.instances.size(); ++n)
      candidates.push_back(*action.at_s + *pace.ramp_up_s * m / *pace.staff + *pace.per_instance_s * static_cast<double>(n));
  std::sort(candidates.begin(), candidates.end());
  candidates.resize(f.instances.size());
  const double warmup = *pace.warmup_s;

  std::vector<double> cleared, serving;  // instance_changed back up, by time
  for (const auto& [id, changes] : instance_changes(r.events))
    for (const auto& e : changes)
      if (e["t"].get<double>() > *action.at_s && e["up"] == true) serving.push_back(e["t"]);
  std::sort(serving.begin(), serving.end());
  ASSERT_EQ(serving.size(), candidates.size());
  for (std::size_t j = 0; j < serving.size(); ++j) EXPECT_NEAR(serving[j], candidates[j] + warmup, 1e-6) << j;

  for (const auto& e : r.events)
    if (e["kind"] == "fault_ended") {
      EXPECT_EQ(e["entity"], f.id);
      EXPECT_NEAR(e["t"].get<double>(), candidates.back(), 1e-6);
      EXPECT_EQ(e["cause"], "operator:" + action.operator_name);
      cleared.push_back(e["t"]);
    }
  EXPECT_EQ(cleared.size(), 1u);

  const auto metrics = read_json(r.dir / "summary.json")["metrics"];
  EXPECT_EQ(metrics["faults"][f.id]["mitigated_at"], *action.at_s);
  ASSERT_GT(metrics["failed_requests"].get<double>(), 0);
  EXPECT_EQ(metrics["failed_requests_unattributed"], 0.0);
  EXPECT_NEAR(metrics["faults"][f.id]["failed_requests"].get<double>(), metrics["failed_requests"].get<double>(),
              1e-9 * metrics["failed_requests"].get<double>());

  // From the boot loop to the first server serving again, nothing is served.
  for (const auto& [t, value] : read_series(r.dir, "global", "", "availability")) {
    if (t < f.at_s + boundary_s || t > candidates.front() + warmup - boundary_s) continue;  // none serving yet
    EXPECT_EQ(value, 0.0) << t;
  }
}

}  // namespace
}  // namespace outagesim
