// A fault's lifecycle as the summary reports it (docs/outputs.md):
// detected_at, mitigated_at and recovered_at, on small scenarios written
// here and run through the real CLI. Each test pins one rule that once went
// wrong (issue #12): what mitigates, what ends a fault, what a stop stops,
// detection after an earlier episode, times on later days, and load on a DNS
// authority.
#include "cli_runner.hpp"

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::testing {
namespace {

struct ScenarioRun {
  fs::path dir;
  Outcome outcome;
  nlohmann::json metrics;
};

/// Writes `yaml` to a file of its own and runs it.
ScenarioRun run_scenario(const std::string& name, const std::string& yaml) {
  ScenarioRun run;
  const fs::path home = fresh_dir("lifecycle-" + name);
  std::ofstream(home / (name + ".yaml")) << yaml;
  run.dir = home / "run";
  run.outcome = outagesim(fmt::format("run '{}' --out '{}'", (home / (name + ".yaml")).string(), run.dir.string()));
  if (run.outcome.exit_code == 0) run.metrics = read_json(run.dir / "summary.json")["metrics"];
  return run;
}

/// Four proxies of 10k rps serve 20k rps: two may fail without an outage.
constexpr const char* providers = R"(
providers:
  - name: cdn
    services:
      - {name: proxy, instances: {eu-west: 4}, capacity: 10k rps}
      - {name: other, instances: {eu-west: 2}, capacity: 10k rps}
sites:
  - {name: shop.example, rps: 20k rps, depends_on: [{target: cdn.proxy}]}
  - {name: blog.example, rps: 5k rps, depends_on: [{target: cdn.other}]}
)";

TEST(FaultLifecycle, AnOperatorRestartEndsCrashesAndCapacityLossesAndTheyRecoverThen) {
  const ScenarioRun run = run_scenario("restart", std::string(R"(scenario: {name: restart, start: 2025-06-02T14:00:00Z, duration: 1h}
)") + providers + R"(
faults:
  - {id: wedged, kind: crash, at: +5m, target: {service: cdn.proxy, count: 2}}
  - {id: slow, kind: capacity_loss, at: +5m, target: {service: cdn.other}, capacity_factor: 10%}
operators:
  - name: sre
    actions:
      - {at: +20m, do: restart, target: {service: cdn.proxy}}
      - {at: +25m, do: restart, target: {service: cdn.other}}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  const auto& faults = run.metrics["faults"];
  // Neither has a duration: the restarts end them, and their effect is gone.
  EXPECT_EQ(faults["wedged"]["recovered_at"], 1200.0);
  EXPECT_EQ(faults["slow"]["recovered_at"], 1500.0);
  EXPECT_EQ(faults["wedged"]["mitigated_at"], 1200.0);
  EXPECT_EQ(faults["slow"]["mitigated_at"], 1500.0);
  int ended_by_operator = 0;
  for (const auto& e : read_events(run.dir))
    if (e["kind"] == "fault_ended" && e["cause"] == "operator:sre") ++ended_by_operator;
  EXPECT_EQ(ended_by_operator, 2);
  // The blog is back at full capacity after its restart (30 s down).
  EXPECT_EQ(run.metrics["impact_end"], 1560.0);
}

/// remediate at `per_hour` (one every hour / per_hour) and with `staff`
/// working in parallel: only the instances a fault holds are taken, each at
/// its time, down for `warmup` after it; each fault ends with its last one.
TEST(FaultLifecycle, RemediationTakesTheHeldInstancesAtItsPaceAndEndsEachFaultWithItsLast) {
  const ScenarioRun run = run_scenario("remediate", std::string(R"(scenario: {name: remediate, start: 2025-06-02T14:00:00Z, duration: 1h}
)") + providers + R"(
faults:
  - {id: wedged, kind: crash, at: +5m, target: {service: cdn.proxy, count: 3}}
  - {id: slow, kind: capacity_loss, at: +5m, target: {service: cdn.other}, capacity_factor: 10%}
operators:
  - name: sre
    actions:
      - {at: +10m, do: remediate, target: {service: cdn.proxy}, per_hour: 6, warmup: 1m}
      - {at: +10m, do: remediate, target: {service: cdn.other}, staff: 2, per_instance: 5m}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  // One proxy every 10 minutes from +10m, serving a minute later (a crashed
  // one stays down through its warm-up); the two people of `other` both at
  // +15m, each pool down for the default 30 s before it serves in full.
  std::map<std::string, std::vector<std::pair<double, bool>>> changes;  // instance -> (t, up) after +10m
  for (const auto& e : read_events(run.dir))
    if (e["kind"] == "instance_changed" && e["t"].get<double>() > 600)
      changes[e["entity"].get<std::string>()].emplace_back(e["t"], e["up"]);
  std::vector<std::pair<double, bool>> proxies;
  for (const auto& [id, all] : changes) {
    if (id.find("proxy") != std::string::npos) {
      proxies.insert(proxies.end(), all.begin(), all.end());
      continue;
    }
    const std::vector<std::pair<double, bool>> at_15{{900.0, false}, {930.0, true}};
    EXPECT_EQ(all, at_15) << id;
  }
  EXPECT_EQ(changes.size(), 5u) << "the fourth proxy, which no fault holds, is left alone";
  std::sort(proxies.begin(), proxies.end());
  const std::vector<std::pair<double, bool>> every_ten{{1260.0, true}, {1860.0, true}, {2460.0, true}};
  EXPECT_EQ(proxies, every_ten);
  const auto& faults = run.metrics["faults"];
  EXPECT_EQ(faults["wedged"]["recovered_at"], 2400.0);
  EXPECT_EQ(faults["slow"]["recovered_at"], 900.0);
  EXPECT_EQ(faults["wedged"]["mitigated_at"], 600.0);
  EXPECT_EQ(faults["slow"]["mitigated_at"], 600.0);
}

TEST(FaultLifecycle, OnlyAnActionThatReducesTheFaultsOwnEffectMitigatesIt) {
  const ScenarioRun run = run_scenario("unrelated", std::string(R"(scenario: {name: unrelated, start: 2025-06-02T14:00:00Z, duration: 1h}
)") + providers + R"(
faults:
  - {id: wedged, kind: crash, at: +5m, target: {service: cdn.proxy, count: 3}}
  - {id: slow, kind: capacity_loss, at: +5m, target: {service: cdn.other}, capacity_factor: 10%}
operators:
  - name: sre
    actions:
      - {at: +10m, do: restart, target: {service: cdn.other}, jitter: 1m}
      - {at: +12m, do: throttle, service: cdn.proxy, admit: 100%}
      - {at: +14m, do: scale, service: cdn.proxy, factor: 0.5}
      - {at: +16m, do: scale, service: cdn.proxy, factor: 2}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  const auto& faults = run.metrics["faults"];
  // The restart of the other service changed nothing for the proxies'
  // crash, nor did admitting everything or removing capacity: adding
  // capacity to the proxies is the first relief.
  EXPECT_EQ(faults["wedged"]["mitigated_at"], 960.0);
  EXPECT_EQ(faults["slow"]["mitigated_at"], 600.0);
  EXPECT_TRUE(faults["wedged"]["recovered_at"].is_null());
}

TEST(FaultLifecycle, StoppingAPullChannelStopsItsConsumersFromFetchingTheBadVersion) {
  const ScenarioRun run = run_scenario("pull-stop", R"(scenario: {name: pull-stop, start: 2025-06-02T14:00:00Z, duration: 1h}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 20}, capacity: 10k rps}]
    channels:
      - {name: rules, consumers: proxy, origin: eu-west, size: 1MB, topology: {kind: pull, period: 10m}}
sites:
  - {name: shop.example, rps: 100k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: bad-rules, kind: bad_config_push, channel: cdn.rules, at: +10m, effects: [{variant: default, error_rate: 100%}]}
operators:
  - name: sre
    actions:
      - {at: +10m30s, do: stop_channel, channel: cdn.rules}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  // In 30 s about one poll in twenty happened; after the stop no consumer
  // fetches the withdrawn version, so it never reaches half of them.
  EXPECT_TRUE(run.metrics["channels"]["cdn.rules"]["reach_t50"].is_null());
  double reach = 0;
  std::istringstream rows(slurp(run.dir / "timeseries.csv"));
  for (std::string row; std::getline(rows, row);)
    if (row.find(",channel,cdn.rules,config_reach,") != std::string::npos) reach = std::stod(row.substr(row.rfind(',') + 1));
  EXPECT_LE(reach, 0.15);
  EXPECT_EQ(run.metrics["faults"]["bad-rules"]["mitigated_at"], 630.0);
}

TEST(FaultLifecycle, DetectionReArmsAfterAnEpisodeSoThatALaterFaultIsDetected) {
  // Overloaded from the start until the scale at +10m; then a crash at +30m.
  const ScenarioRun run = run_scenario("rearm", R"(scenario: {name: rearm, start: 2025-06-02T14:00:00Z, duration: 1h}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 4}, capacity: 10k rps}]
sites:
  - {name: shop.example, rps: 50k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: wedged, kind: crash, at: +30m, target: {service: cdn.proxy, count: 3}}
operators:
  - name: sre
    detection: [{metric: error_rate, above: 5%, for: 2m}]
    actions:
      - {at: +10m, do: scale, service: cdn.proxy, factor: 2}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  std::vector<double> detections;
  for (const auto& e : read_events(run.dir))
    if (e["kind"] == "operator_detected") detections.push_back(e["t"]);
  ASSERT_EQ(detections.size(), 2u);
  EXPECT_EQ(detections[0], 120.0);
  EXPECT_EQ(detections[1], 1920.0);
  EXPECT_EQ(run.metrics["faults"]["wedged"]["detected_at"], 1920.0);
}

TEST(FaultLifecycle, TimesOnALaterDayThanTheStartShowTheirDate) {
  const ScenarioRun run = run_scenario("days", R"(scenario: {name: days, start: 2025-06-02T14:00:00Z, duration: 11d}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 4}, capacity: 10k rps}]
sites:
  - {name: shop.example, rps: 20k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - {id: early, kind: crash, at: +1h, duration: 1h, target: {service: cdn.proxy, count: 3}}
  - {id: late, kind: crash, at: +249h30m, duration: 1h, target: {service: cdn.proxy, count: 3}}
output: {resolution: 1h}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  EXPECT_NE(run.outcome.out.find("early: injected 15:00:00Z (+1h00m00s)"), std::string::npos) << run.outcome.out;
  EXPECT_NE(run.outcome.out.find("late: injected 2025-06-12T23:30:00Z (+10d09h30m00s)"), std::string::npos)
      << run.outcome.out;
  const std::string report = slurp(run.dir / "report.html");
  // Impact ends at the first sample back at full service, a headline card.
  EXPECT_NE(report.find("2025-06-13T01:00:00Z (+10d11h00m00s)"), std::string::npos);
}

TEST(FaultLifecycle, AnOverloadIsChargedToTheFaultThatTippedItNotToASurgeThatAddsNoLoad) {
  // 90k rps on 100k of capacity with retries: the crash tips the queue into
  // an overload that outlives it (metastable); the surge of factor 1 adds nothing.
  const ScenarioRun run = run_scenario("tipped", R"(scenario: {name: tipped, start: 2025-06-02T14:00:00Z, duration: 1h}
providers:
  - name: shop
    services:
      - name: api
        instances: {eu-west: 10}
        capacity: 10k rps
        queue: {max_wait: 10s, timeout: 10s, retry: {max_retries: 2, backoff_base: 1s, backoff_max: 10s, jitter: full}}
sites:
  - {name: shop.example, rps: 90k rps, depends_on: [{target: shop.api}]}
faults:
  - {id: steady, kind: load_surge, at: +1m, target: {service: shop.api}, load_factor: 1}
  - {id: outage, kind: crash, at: +5m, duration: 5m, target: {service: shop.api, count: 5}}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  const double failed = run.metrics["failed_requests"];
  ASSERT_GT(failed, 0);
  EXPECT_EQ(run.metrics["faults"]["steady"]["failed_requests"], 0.0);
  EXPECT_NEAR(run.metrics["faults"]["outage"]["failed_requests"].get<double>(), failed, 1e-9 * failed);
}

TEST(FaultLifecycle, LoadOnADnsAuthorityIsRefusedWithALocatedError) {
  const fs::path home = fresh_dir("authority-load");
  const std::string head = R"(scenario: {name: authority, start: 2025-06-02T14:00:00Z, duration: 1h}
providers:
  - name: dns
    services: [{name: auth, instances: {eu-west: 2}, capacity: 1k rps}]
    records: [{name: www, points_to: cdn.proxy, ttl: 5m}]
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 4}, capacity: 10k rps}]
sites:
  - {name: shop.example, rps: 20k rps, depends_on: [{kind: cached, record: dns.www}]}
faults:
)";
  for (const auto& [name, fault] : std::vector<std::pair<std::string, std::string>>{
           {"surge", "  - {id: flood, kind: load_surge, at: +5m, target: {service: dns.auth}, load_factor: 1000}\n"},
           {"loss", "  - {id: flood, kind: capacity_loss, at: +5m, target: {service: dns.auth}, capacity_factor: 0.1%}\n"}}) {
    std::ofstream(home / (name + ".yaml")) << head << fault;
    const Outcome o = outagesim(fmt::format("validate '{}'", (home / (name + ".yaml")).string()));
    EXPECT_EQ(o.exit_code, 2) << name;
    EXPECT_NE(o.err.find(name + ".yaml:11:"), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("so it carries no query load"), std::string::npos) << o.err;
    // With resolvers on its record the authority carries their queries, and
    // the same fault presses on them (docs/models/dns.md).
    std::string loaded = head;
    loaded.replace(loaded.find("ttl: 5m}"), 8, "ttl: 5m, resolvers: 100000}");
    std::ofstream(home / (name + "-loaded.yaml")) << loaded << fault;
    EXPECT_EQ(outagesim(fmt::format("validate '{}'", (home / (name + "-loaded.yaml")).string())).exit_code, 0) << name;
  }
  // A total loss takes the authority out, which the DNS model does follow.
  std::ofstream(home / "total.yaml")
      << head << "  - {id: gone, kind: capacity_loss, at: +5m, target: {service: dns.auth}, capacity_factor: 0%}\n";
  EXPECT_EQ(outagesim(fmt::format("validate '{}'", (home / "total.yaml").string())).exit_code, 0);
}

/// end_fault at +20m on a fault of each kind that began at +5m and would
/// last the whole hour: the fault ends then, caused by the operator, and
/// what it held is undone then, as when a duration runs out.
struct EndedKind {
  const char* name;
  const char* fault;  ///< the fault's YAML, id `f`, at +5m, no duration
  const char* traffic = "";  ///< a `traffic:` section the kind needs
};

class EndFaultOfEachKind : public ::testing::TestWithParam<EndedKind> {};

TEST_P(EndFaultOfEachKind, EndsTheFaultAndUndoesWhatItHeldWhenTheActionIsTaken) {
  const EndedKind kind = GetParam();
  const ScenarioRun run = run_scenario(std::string("end-") + kind.name,
                                       std::string(R"(scenario: {name: end, start: 2025-06-02T14:00:00Z, duration: 1h}
providers:
  - name: cdn
    services:
      - {name: proxy, instances: {eu-west: 4, na-east: 2}, capacity: 10k rps}
  - name: dns
    services: [{name: auth, instances: {eu-west: 2}, capacity: 10k rps}]
    records: [{name: www, points_to: cdn.proxy, ttl: 1m}]
sites:
  - {name: shop.example, rps: 20k rps, depends_on: [{target: cdn.proxy}]}
faults:
  - )") + kind.fault + "\n" + kind.traffic + R"(
operators:
  - name: sre
    actions:
      - {at: +20m, do: end_fault, fault: f}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  constexpr double injected = 300, ended = 1200;
  std::vector<double> ends;
  std::map<std::string, nlohmann::json> last_change;  // instance -> its last instance_changed
  bool record_restored = false, surge_lifted = false, authority_reachable = false;
  for (const auto& e : read_events(run.dir)) {
    const double t = e["t"];
    if (e["kind"] == "fault_ended") {
      ends.push_back(t);
      EXPECT_EQ(e["cause"], "operator:sre");
    }
    if (e["kind"] == "instance_changed") {
      EXPECT_LE(t, ended) << "nothing of the fault is left after it ends: " << e.dump();
      if (t >= injected) last_change[e["entity"].get<std::string>()] = e;
    }
    if (e["kind"] == "record_changed" && e["reason"] == "restored") record_restored = t == ended;
    if (e["kind"] == "record_changed" && e["reason"] == "authority_reachable")
      authority_reachable = t == ended && e["client_region"] == "na-east";
    if (e["kind"] == "service_changed" && e["load_factor"] == 1.0) surge_lifted = t == ended;
  }
  ASSERT_EQ(ends, std::vector<double>{ended});
  for (const auto& [instance, e] : last_change) {
    EXPECT_EQ(e["t"], ended) << instance;
    EXPECT_EQ(e["up"], true) << instance;
    EXPECT_EQ(e["capacity_factor"], 1.0) << instance;
    EXPECT_EQ(e["added_latency_s"], 0.0) << instance;
  }
  const std::string name = kind.name;
  if (name == "dns_record_change") {
    EXPECT_TRUE(record_restored);
  } else if (name == "load_surge") {
    EXPECT_TRUE(surge_lifted);
  } else if (name == "dns_unreachable") {
    EXPECT_TRUE(authority_reachable);
    EXPECT_TRUE(last_change.empty()) << "it holds no instance";
  } else {
    EXPECT_FALSE(last_change.empty()) << "the fault changed instances and gave them back";
  }
  EXPECT_EQ(run.metrics["faults"]["f"]["mitigated_at"], ended);
}

INSTANTIATE_TEST_SUITE_P(
    FaultLifecycle, EndFaultOfEachKind,
    ::testing::Values(
        EndedKind{"crash", "{id: f, kind: crash, at: +5m, target: {service: cdn.proxy, count: 2}}"},
        EndedKind{"crash_down", "{id: f, kind: crash, at: +5m, target: {service: cdn.proxy, count: 2}, down: 1h}"},
        EndedKind{"crash_loop", "{id: f, kind: crash_loop, at: +5m, target: {service: cdn.proxy, count: 2}, up: 5m, down: 20m}"},
        EndedKind{"restart", "{id: f, kind: restart, at: +5m, target: {service: cdn.proxy}, down: 20m, jitter: 40m}"},
        EndedKind{"capacity_loss", "{id: f, kind: capacity_loss, at: +5m, target: {service: cdn.proxy}, capacity_factor: 30%}"},
        EndedKind{"latency_injection", "{id: f, kind: latency_injection, at: +5m, target: {service: cdn.proxy}, latency: 200ms}"},
        EndedKind{"load_surge", "{id: f, kind: load_surge, at: +5m, duration: 50m, target: {service: cdn.proxy}, load_factor: 3}"},
        EndedKind{"partition", "{id: f, kind: partition, at: +5m, regions: [na-east]}"},
        EndedKind{"route_withdrawal", "{id: f, kind: route_withdrawal, at: +5m, provider: cdn, regions: [eu-west]}"},
        EndedKind{"dns_record_change", "{id: f, kind: dns_record_change, at: +5m, record: dns.www, change: empty}"},
        EndedKind{"dns_unreachable", "{id: f, kind: dns_unreachable, at: +5m, provider: dns, regions: [na-east]}",
                  "traffic: {client_regions: [{region: na-east, users: 40%}, {region: eu-west, users: 60%}]}"}),
    [](const ::testing::TestParamInfo<EndedKind>& param_info) { return std::string(param_info.param.name); });

TEST(FaultLifecycle, EndFaultBeforeTheFaultBeginsOrAfterItEndedChangesNothing) {
  const ScenarioRun run = run_scenario("end-outside", std::string(R"(scenario: {name: end-outside, start: 2025-06-02T14:00:00Z, duration: 1h}
)") + providers + R"(
faults:
  - {id: late, kind: crash, at: +30m, duration: 10m, target: {service: cdn.proxy, count: 3}}
operators:
  - name: sre
    actions:
      - {at: +10m, do: end_fault, fault: late}
      - {at: +50m, do: end_fault, fault: late}
output: {resolution: 1m}
)");
  ASSERT_EQ(run.outcome.exit_code, 0) << run.outcome.err;
  std::vector<std::pair<double, std::string>> ends;
  for (const auto& e : read_events(run.dir))
    if (e["kind"] == "fault_ended") ends.emplace_back(e["t"], e["cause"]);
  const std::vector<std::pair<double, std::string>> want{{2400.0, "fault:late"}};
  EXPECT_EQ(ends, want);
  EXPECT_TRUE(run.metrics["faults"]["late"]["mitigated_at"].is_null());
}

}  // namespace
}  // namespace outagesim::testing
