// The config-effect examples (docs/models/config-distribution.md, "Effects
// on load"), each run through the CLI and checked against what the
// scenario's numbers imply: times from the pushes, reverts, restarts and
// remediation pace; capacity from the cost factor; nothing hard-coded from a
// run.
#include "example_run.hpp"
#include "models/remediation_pace.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

ExampleRun run(const std::string& name) { return run_loaded_example(name); }

const ExampleRun& load_effects() {
  static const ExampleRun r = run("config-load-effects");
  return r;
}

const world::Fault& fault(const world::World& w, const std::string& id) {
  for (const auto& f : w.faults)
    if (f.id == id) return f;
  throw std::runtime_error("no fault " + id);
}

/// The first effect of the push `id`, as the scenario declares it.
const scenario::VariantEffect& effect_of(const world::World& w, const std::string& id) {
  return std::get<scenario::faults::BadConfigPush>(fault(w, id).kind).effects.at(0);
}

/// The scripted action of kind `Kind` on `channel` (any channel when empty).
template <class Kind>
const world::Action& action(const world::World& w, const std::string& channel = "") {
  for (const auto& a : w.actions)
    if (std::holds_alternative<Kind>(a.kind) &&
        (channel.empty() || w.channels[static_cast<std::size_t>(a.channel)].id == channel))
      return a;
  throw std::runtime_error("no such action");
}

std::vector<int> instances_of(const world::World& w, const std::string& service) {
  for (const auto& s : w.services)
    if (s.id == service) return s.instances;
  throw std::runtime_error("no service " + service);
}

/// `instance_changed` events of one instance, in order.
std::vector<nlohmann::json> changes(const ExampleRun& r, const std::string& instance) {
  std::vector<nlohmann::json> out;
  for (const auto& e : r.events)
    if (e["kind"] == "instance_changed" && e["entity"] == instance) out.push_back(e);
  return out;
}

/// When `instance` applied `version` ("provider.channel@vN"), or -1.
double applied_at(const ExampleRun& r, const std::string& instance, const std::string& version) {
  for (const auto& e : r.events)
    if (e["kind"] == "config_applied" && e["entity"] == instance && e["version"] == version) return e["t"];
  return -1;
}

constexpr double transfer_s = 1.0;  // a 1MB file inside one region: well under a second

TEST(ConfigLoadEffects, ABootLoopKeepsItsConsumersDownUntilRemediatedThenTheyLoadTheRevert) {
  const auto& r = load_effects();
  const auto& w = r.world;
  const auto& revert = action<scenario::actions::Revert>(w, "corp.boot-rules");
  const auto& remediate = action<scenario::actions::Remediate>(w);
  const auto& pace = std::get<scenario::actions::Remediate>(remediate.kind);
  ASSERT_EQ(effect_of(w, "boot-crash").on_load, scenario::OnLoad::crash);
  ASSERT_LT(*revert.at_s, *remediate.at_s);  // the good version waits on them
  std::vector<double> cleared = models::remediation_times(instances_of(w, "corp.boot").size(), pace.people(),
                                                          pace.seconds_per_instance(), pace.ramp_up_s.value_or(0));
  std::vector<double> up;
  for (int i : instances_of(w, "corp.boot")) {
    const auto& id = w.instances[static_cast<std::size_t>(i)].id;
    const auto c = changes(r, id);
    ASSERT_EQ(c.size(), 2u) << id;  // down on the bad version, up once remediated: nothing between
    const double crashed = applied_at(r, id, "corp.boot-rules@v1");
    EXPECT_EQ(c[0]["up"], false);
    EXPECT_DOUBLE_EQ(c[0]["t"].get<double>(), crashed);
    EXPECT_EQ(c[0]["cause"], "fault:boot-crash");
    EXPECT_EQ(c[1]["up"], true);
    up.push_back(c[1]["t"]);
    // Back, it loads the revert it was sent while down, and no earlier.
    EXPECT_DOUBLE_EQ(applied_at(r, id, "corp.boot-rules@v2"), c[1]["t"].get<double>()) << id;
  }
  std::sort(up.begin(), up.end());
  for (std::size_t j = 0; j < up.size(); ++j)
    EXPECT_NEAR(up[j], *remediate.at_s + cleared[j] + *pace.warmup_s, 1e-6) << j;
}

TEST(ConfigLoadEffects, FetchOnRestartCrashesAtEachRestartUntilTheRevertHasReachedIt) {
  const auto& r = load_effects();
  const auto& w = r.world;
  const auto& effect = effect_of(w, "restart-crash");
  ASSERT_EQ(effect.after_crash, scenario::AfterCrash::fetch_on_restart);
  const double down = *effect.down_s;
  const double revert = *action<scenario::actions::Revert>(w, "corp.restart-rules").at_s;
  for (int i : instances_of(w, "corp.restarting")) {
    const auto& id = w.instances[static_cast<std::size_t>(i)].id;
    const double crashed = applied_at(r, id, "corp.restart-rules@v1");
    // Its first restart after the revert arrived (within a transfer of it).
    const double back = crashed + down * std::ceil((revert - crashed) / down);
    ASSERT_GT(back, revert + transfer_s);
    const auto c = changes(r, id);
    ASSERT_EQ(c.size(), 2u) << id;  // a restart that crashes again stays down: no flicker
    EXPECT_EQ(c[0]["up"], false);
    EXPECT_DOUBLE_EQ(c[0]["t"].get<double>(), crashed);
    EXPECT_EQ(c[1]["up"], true);
    EXPECT_NEAR(c[1]["t"].get<double>(), back, 1e-9) << id;
    EXPECT_NEAR(applied_at(r, id, "corp.restart-rules@v2"), back, 1e-9) << id;
  }
}

TEST(ConfigLoadEffects, ACrashLoopServesForUpThenIsDownForDownUntilTheRevertReplacesIt) {
  const auto& r = load_effects();
  const auto& w = r.world;
  const auto& effect = effect_of(w, "loop-crash");
  const double up = *effect.up_s, down = *effect.down_s;
  const double revert = *action<scenario::actions::Revert>(w, "corp.loop-rules").at_s;
  for (int i : instances_of(w, "corp.looping")) {
    const auto& id = w.instances[static_cast<std::size_t>(i)].id;
    const double loaded = applied_at(r, id, "corp.loop-rules@v1");
    std::vector<std::pair<double, bool>> expected;
    for (double t = loaded + up; t < revert; t += up + down) {
      expected.emplace_back(t, false);
      // Down when the revert comes: it loads it at its restart.
      expected.emplace_back(t + down, true);
    }
    const auto c = changes(r, id);
    ASSERT_EQ(c.size(), expected.size()) << id;
    for (std::size_t j = 0; j < c.size(); ++j) {
      EXPECT_NEAR(c[j]["t"].get<double>(), expected[j].first, 1e-9) << id << " " << j;
      EXPECT_EQ(c[j]["up"], expected[j].second) << id << " " << j;
    }
    EXPECT_GE(applied_at(r, id, "corp.loop-rules@v2"), revert);
  }
}

TEST(ConfigLoadEffects, ARefusingConsumerKeepsItsVersionAndNothingHappens) {
  const auto& r = load_effects();
  const auto& w = r.world;
  std::set<std::string> rejected;
  for (const auto& e : r.events) {
    if (e["kind"] == "config_rejected" && e["version"] == "corp.refuse-rules@v1") rejected.insert(e["entity"]);
    if (e["kind"] == "config_applied") {
      EXPECT_NE(e["version"], "corp.refuse-rules@v1");
    }
  }
  EXPECT_EQ(rejected.size(), instances_of(w, "corp.refusing").size());
  for (const auto& [t, value] : read_series(r.dir, "site", "refusing.example", "availability")) EXPECT_EQ(value, 1.0) << t;
  const auto m = read_json(r.dir / "summary.json")["metrics"];
  EXPECT_EQ(m["faults"]["refused"]["failed_requests"], 0.0);
}

TEST(ConfigLoadEffects, ACostFactorDividesCapacityAndItsQueueWaitsUpToItsLimitNeverPast) {
  const auto& r = load_effects();
  const auto& w = r.world;
  const double k = *effect_of(w, "costly-rule").cost_factor;
  const auto& costly = w.services[static_cast<std::size_t>(w.instances[static_cast<std::size_t>(
      instances_of(w, "corp.costly").front())].service)];
  double capacity = 0;
  for (int i : costly.instances) {
    capacity += w.instances[static_cast<std::size_t>(i)].capacity_rps;
    const auto c = changes(r, w.instances[static_cast<std::size_t>(i)].id);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_DOUBLE_EQ(c[0]["capacity_factor"].get<double>(), 1 / k);
    EXPECT_EQ(c[0]["cause"], "fault:costly-rule");
    EXPECT_DOUBLE_EQ(c[1]["capacity_factor"].get<double>(), 1.0);
  }
  ASSERT_GT(costly.offered_rps, capacity / k);  // what makes the queue build
  const double pushed = fault(w, "costly-rule").at_s;
  const double revert = *action<scenario::actions::Revert>(w, "corp.costly-rules").at_s;
  double longest = 0;
  for (const auto& [t, wait] : read_series(r.dir, "service", "corp.costly", "queue_wait_s")) {
    EXPECT_LE(wait, costly.queue.max_wait_s + 1e-9) << t;
    longest = std::max(longest, wait);
  }
  EXPECT_DOUBLE_EQ(longest, costly.queue.max_wait_s);
  for (const auto& [t, goodput] : read_series(r.dir, "service", "corp.costly", "goodput_rps"))
    if (t > pushed + transfer_s && t < revert) {
      EXPECT_LE(goodput, capacity / k * (1 + 1e-9)) << t;
    }
}

TEST(ConfigLoadEffects, ALatencyEffectAddsItsLatencyWhileTheVersionRuns) {
  const auto& r = load_effects();
  const auto& w = r.world;
  const double latency = *effect_of(w, "slow-rule").latency_s;
  const double revert = *action<scenario::actions::Revert>(w, "corp.slow-rules").at_s;
  for (int i : instances_of(w, "corp.slow")) {
    const auto& id = w.instances[static_cast<std::size_t>(i)].id;
    const auto c = changes(r, id);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_DOUBLE_EQ(c[0]["added_latency_s"].get<double>(), latency);
    EXPECT_DOUBLE_EQ(c[0]["t"].get<double>(), applied_at(r, id, "corp.slow-rules@v1"));
    EXPECT_DOUBLE_EQ(c[1]["added_latency_s"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(c[1]["t"].get<double>(), applied_at(r, id, "corp.slow-rules@v2"));
    EXPECT_GE(c[1]["t"].get<double>(), revert);
  }
}

TEST(ConfigLoadEffects, EveryFailedRequestIsThePushsOnThatFleetsChannel) {
  const auto& r = load_effects();
  const auto m = read_json(r.dir / "summary.json")["metrics"];
  ASSERT_GT(m["failed_requests"].get<double>(), 0);
  EXPECT_EQ(m["failed_requests_unattributed"], 0.0);
  const std::map<std::string, std::string> push_of{{"boot.example", "boot-crash"},
                                                   {"restarting.example", "restart-crash"},
                                                   {"looping.example", "loop-crash"},
                                                   {"costly.example", "costly-rule"}};
  std::set<std::string> seen;
  std::istringstream rows(slurp(r.dir / "attribution.csv"));
  std::string row;
  std::getline(rows, row);  // header
  while (std::getline(rows, row)) {
    const std::string site = row.substr(0, row.find(','));
    ASSERT_TRUE(push_of.contains(site)) << row;  // refusing and slow fail nothing
    EXPECT_NE(row.find("," + push_of.at(site) + ","), std::string::npos) << row;
    seen.insert(site);
  }
  EXPECT_EQ(seen.size(), push_of.size());
}

TEST(ConfigLoadEffects, MoreCapacityBehindACostFactorIsNeverWorse) {
  // The same scenario with the costly fleet's capacity raised: it fails no
  // more requests, at no sample.
  const std::string text = slurp(example("config-load-effects"));
  const std::string from = "        instances: {na-east: 10}\n        capacity: 1k rps\n";
  ASSERT_NE(text.find(from), std::string::npos);
  const fs::path dir = fresh_dir("config-load-effects-more");
  fs::create_directories(dir);
  std::string more = text;
  more.replace(more.find(from), from.size(), "        instances: {na-east: 10}\n        capacity: 1.1k rps\n");
  std::ofstream(dir / "more.yaml") << more;
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", (dir / "more.yaml").string(), (dir / "run").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto base = read_series(load_effects().dir, "site", "costly.example", "failed_requests_cumulative");
  const auto raised = read_series(dir / "run", "site", "costly.example", "failed_requests_cumulative");
  ASSERT_EQ(base.size(), raised.size());
  for (std::size_t j = 0; j < base.size(); ++j) EXPECT_LE(raised[j].second, base[j].second * (1 + 1e-12)) << base[j].first;
  EXPECT_LT(raised.back().second, base.back().second);
}

TEST(ConfigLoadEffects, TheSameSeedGivesTheSameOutputsByteForByte) {
  const fs::path again = run_example("config-load-effects");
  for (const char* file : {"events.jsonl", "timeseries.csv", "attribution.csv", "summary.json"})
    EXPECT_EQ(slurp(load_effects().dir / file), slurp(again / file)) << file;
}

TEST(ConfigVersionConditions, AnEffectAppliesOnlyWhileTheConsumerRunsEveryVersionItNames) {
  const auto r = run("config-version-conditions");
  const auto& w = r.world;
  const auto& binary = w.channels.at(0);
  ASSERT_EQ(binary.id, "cdn.binary");
  const auto& proxies = w.services.at(0).instances;
  const double n = static_cast<double>(proxies.size());
  // The first wave's consumers, then all of them, run the binary the rules trip on.
  const double first_wave = std::ceil(binary.rollout.waves.at(0).fraction * n - 1e-9);
  const double rollout = fault(w, "v2-binary").at_s;
  const double second_wave = rollout + binary.rollout.waves.at(0).bake_s;
  const double rules = fault(w, "big-rules").at_s;
  const double masked = fault(w, "parser-off").at_s;
  ASSERT_LT(rollout, rules);
  ASSERT_LT(rules, second_wave);
  ASSERT_LT(second_wave, masked);
  const double margin = 30;  // transfers of the versions, and the sample that straddles them
  const auto availability = read_series(r.dir, "service", "cdn.proxy", "availability");
  ASSERT_FALSE(availability.empty());
  for (double v : inside(availability, 0, rules)) EXPECT_EQ(v, 1.0);  // the binary alone breaks nothing
  for (double v : inside(availability, rules + margin, second_wave)) EXPECT_NEAR(v, 1 - first_wave / n, 1e-9);
  for (double v : inside(availability, second_wave + margin, masked)) EXPECT_NEAR(v, 0.0, 1e-9);
  for (double v : inside(availability, masked + margin, w.duration_s + 1)) EXPECT_EQ(v, 1.0);  // the flag masks it

  const auto m = read_json(r.dir / "summary.json")["metrics"];
  ASSERT_GT(m["failed_requests"].get<double>(), 0);
  EXPECT_EQ(m["failed_requests_unattributed"], 0.0);
  EXPECT_NEAR(m["faults"]["big-rules"]["failed_requests"].get<double>(), m["failed_requests"].get<double>(),
              1e-9 * m["failed_requests"].get<double>());
}

TEST(ConfigVendorContent, OneChannelFeedsItsOwnAndItsCustomersFleetsEachWithItsOwnEffect) {
  const auto r = run("config-vendor-content");
  const auto& w = r.world;
  const auto& push = fault(w, "bad-content");
  const auto& channel = w.channels.at(static_cast<std::size_t>(push.channel));
  ASSERT_EQ(channel.services.size(), 3u);  // the vendor's agents, then the bank's and the airline's fleets
  const double margin = 60;                 // a transfer and the sample that straddles it
  // The vendor's own agents load it and never fail.
  for (const auto& [t, v] : read_series(r.dir, "site", "status.example", "availability")) EXPECT_EQ(v, 1.0) << t;
  for (int i : instances_of(w, "sec.agent")) {
    EXPECT_TRUE(changes(r, w.instances[static_cast<std::size_t>(i)].id).empty());
    EXPECT_GE(applied_at(r, w.instances[static_cast<std::size_t>(i)].id, "sec.content@v1"), push.at_s);
  }
  // Each customer's crashed hosts come back at its own team's pace, loading the revert.
  auto back_at_pace = [&](const std::string& service, const std::string& team, const std::vector<int>& crashed) {
    const world::Action* act = nullptr;
    for (const auto& a : w.actions)
      if (a.operator_name == team) act = &a;
    ASSERT_NE(act, nullptr);
    const auto& pace = std::get<scenario::actions::Remediate>(act->kind);
    const auto cleared = models::remediation_times(crashed.size(), pace.people(), pace.seconds_per_instance(),
                                                   pace.ramp_up_s.value_or(0));
    std::vector<double> up;
    for (int i : crashed) {
      const auto& id = w.instances[static_cast<std::size_t>(i)].id;
      const auto c = changes(r, id);
      ASSERT_EQ(c.size(), 2u) << id;
      EXPECT_EQ(c[0]["cause"], "fault:bad-content");
      EXPECT_DOUBLE_EQ(c[0]["t"].get<double>(), applied_at(r, id, "sec.content@v1"));
      up.push_back(c[1]["t"]);
      EXPECT_DOUBLE_EQ(applied_at(r, id, "sec.content@v2"), c[1]["t"].get<double>()) << id;
    }
    std::sort(up.begin(), up.end());
    for (std::size_t j = 0; j < up.size(); ++j)
      EXPECT_NEAR(up[j], *act->at_s + cleared[j] + *pace.warmup_s, 1e-6) << service << " " << j;
  };
  back_at_pace("bank.hosts", "bank-it", instances_of(w, "bank.hosts"));
  // Of the airline's servers, only the windows variant crashes.
  const auto& checkin = w.services[static_cast<std::size_t>(w.instances[static_cast<std::size_t>(
      instances_of(w, "airline.checkin").front())].service)];
  std::vector<int> windows;
  double linux_capacity = 0;
  for (int i : checkin.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    if (checkin.variants[static_cast<std::size_t>(instance.variant)] == "windows") {
      windows.push_back(i);
    } else {
      linux_capacity += instance.capacity_rps;
      EXPECT_TRUE(changes(r, instance.id).empty()) << instance.id;
    }
  }
  ASSERT_FALSE(windows.empty());
  back_at_pace("airline.checkin", "airline-it", windows);
  // While they are down, the bank serves nothing and the airline what its linux servers can.
  const double airline_remediation = [&] {
    for (const auto& a : w.actions)
      if (a.operator_name == "airline-it") return *a.at_s;
    return 0.0;
  }();
  double bank_first_back = w.duration_s;
  for (int i : instances_of(w, "bank.hosts"))
    bank_first_back = std::min(bank_first_back, changes(r, w.instances[static_cast<std::size_t>(i)].id).back()["t"].get<double>());
  for (double v : inside(read_series(r.dir, "site", "bank.example", "availability"), push.at_s + margin, bank_first_back))
    EXPECT_EQ(v, 0.0);
  const double expected = std::min(1.0, linux_capacity / checkin.offered_rps);
  ASSERT_LT(expected, 1.0);
  for (double v : inside(read_series(r.dir, "site", "airline.example", "availability"), push.at_s + margin,
                         airline_remediation))
    EXPECT_NEAR(v, expected, 1e-9);

  const auto m = read_json(r.dir / "summary.json")["metrics"];
  ASSERT_GT(m["failed_requests"].get<double>(), 0);
  EXPECT_EQ(m["failed_requests_unattributed"], 0.0);
  EXPECT_NEAR(m["faults"]["bad-content"]["failed_requests"].get<double>(), m["failed_requests"].get<double>(),
              1e-9 * m["failed_requests"].get<double>());
}

}  // namespace
}  // namespace outagesim
