// A fault's lifecycle as the summary reports it (docs/outputs.md):
// detected_at, mitigated_at and recovered_at, on small scenarios written
// here and run through the real CLI. Each test pins one rule that once went
// wrong (issue #12): what mitigates, what ends a fault, what a stop stops,
// detection after an earlier episode, times on later days, and load on a DNS
// authority.
#include "cli_runner.hpp"

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
    EXPECT_NE(o.err.find("DNS authorities do not carry query load yet"), std::string::npos) << o.err;
  }
  // A total loss takes the authority out, which the DNS model does follow.
  std::ofstream(home / "total.yaml")
      << head << "  - {id: gone, kind: capacity_loss, at: +5m, target: {service: dns.auth}, capacity_factor: 0%}\n";
  EXPECT_EQ(outagesim(fmt::format("validate '{}'", (home / "total.yaml").string())).exit_code, 0);
}

}  // namespace
}  // namespace outagesim::testing
