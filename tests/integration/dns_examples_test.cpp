// The DNS examples (empty record, serve-stale, health-checked failover, with
// failover disabled), each run through the CLI and held to the numbers its
// scenario implies under docs/models/dns.md: the linear share of clients over
// one TTL, the stale window, the failover instant from the check interval and
// threshold. Expected values are computed here from the scenario, never
// copied from a run.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

constexpr double exact = 1e-12;

world::World world_of(const std::string& name) { return world::build(scenario::load(example(name))); }

const world::Record& record_named(const world::World& w, const std::string& id) {
  auto it = std::find_if(w.records.begin(), w.records.end(), [&](const world::Record& r) { return r.id == id; });
  if (it == w.records.end()) throw std::runtime_error("no record " + id);
  return *it;
}

double site_rps(const world::World& w, const std::string& name) {
  for (const auto& s : w.sites)
    if (s.name == name) return s.rps;
  throw std::runtime_error("no site " + name);
}

std::vector<nlohmann::json> record_events(const std::vector<nlohmann::json>& events, const std::string& reason) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e["kind"] == "record_changed" && e["reason"] == reason) out.push_back(e);
  return out;
}

/// When the last consumer applied `version` (the whole fleet runs it from then on).
double last_applied(const std::vector<nlohmann::json>& events, const std::string& version, int consumers) {
  double last = -1;
  int count = 0;
  for (const auto& e : events)
    if (e["kind"] == "config_applied" && e["version"] == version) {
      last = std::max(last, e["t"].get<double>());
      ++count;
    }
  EXPECT_EQ(count, consumers) << version;
  return last;
}

/// The `threshold`-th health check at or after `t`: checks run at every
/// multiple of `interval`. `t` must not fall on a check itself, where the
/// order of two simultaneous actors would decide.
double nth_check_from(double t, double interval, int threshold) {
  EXPECT_NE(std::fmod(t, interval), 0.0) << "the scenario puts a change on a check instant";
  return std::ceil(t / interval) * interval + (threshold - 1) * interval;
}

// --- an empty record ---------------------------------------------------------------

TEST(DnsEmptyRecord, FailuresRampOverOneTtlAndRecoverOverOneTtl) {
  const auto w = world_of("dns-empty-record");
  const auto& fault = w.faults.at(0);
  const double t0 = fault.at_s, t1 = t0 + *fault.duration_s;
  const double ttl = record_named(w, "aws.dynamodb-us-east-1").ttl_s;
  ASSERT_LT(ttl, *fault.duration_s);
  const auto dir = run_example("dns-empty-record");

  // Clients on the good answer: 1 until t0, then falling linearly to 0 over
  // the TTL; rising linearly from t1 over the TTL.
  auto on_good_answer = [&](double t) {
    if (t <= t0) return 1.0;
    if (t <= t1) return std::max(0.0, 1 - (t - t0) / ttl);
    return std::min(1.0, (t - t1) / ttl);
  };
  int ramp_samples = 0;
  for (const char* site : {"shop.example", "game.example"}) {
    const auto series = read_series(dir, "site", site, "availability");
    ASSERT_EQ(series.size(), static_cast<std::size_t>(std::llround(w.duration_s / w.resolution_s)) + 1);
    for (const auto& [t, a] : series) {
      EXPECT_NEAR(a, on_good_answer(t), exact) << site << " at " << t;
      ramp_samples += (t > t0 && t < t0 + ttl) || (t > t1 && t < t1 + ttl);
    }
  }
  EXPECT_GT(ramp_samples, 2 * 2 * 5);  // the ramps are sampled, not stepped over
  for (const auto& [t, a] : read_series(dir, "site", "static.example", "availability")) EXPECT_EQ(a, 1.0) << t;

  // Global: request-weighted.
  const double through_record = site_rps(w, "shop.example") + site_rps(w, "game.example");
  const double other = site_rps(w, "static.example");
  for (const auto& [t, a] : read_series(dir, "global", "", "availability"))
    EXPECT_NEAR(a, (through_record * on_good_answer(t) + other) / (through_record + other), exact) << t;
  const auto m = read_json(dir / "summary.json")["metrics"];
  EXPECT_NEAR(m["availability_min"].get<double>(), other / (through_record + other), exact);
  EXPECT_EQ(m["sites_affected"], 2);
}

TEST(DnsEmptyRecord, TheRecordChangesAreLoggedWithTheFaultAsCause) {
  const auto w = world_of("dns-empty-record");
  const auto& fault = w.faults.at(0);
  const auto events = read_events(run_example("dns-empty-record"));
  const auto emptied = record_events(events, "empty");
  const auto restored = record_events(events, "restored");
  ASSERT_EQ(emptied.size(), 1u);
  ASSERT_EQ(restored.size(), 1u);
  EXPECT_EQ(emptied[0]["t"], fault.at_s);
  EXPECT_EQ(emptied[0]["entity"], "aws.dynamodb-us-east-1");
  EXPECT_TRUE(emptied[0]["answer"].is_null());
  EXPECT_EQ(emptied[0]["cause"], "fault:empty-dynamodb-record");
  EXPECT_EQ(restored[0]["t"], fault.at_s + *fault.duration_s);
  EXPECT_EQ(restored[0]["answer"], "aws.dynamodb");
  EXPECT_EQ(restored[0]["cause"], "fault:empty-dynamodb-record");
}

TEST(DnsEmptyRecord, FailuresThroughStaleCachesAreChargedToTheRecordChange) {
  const auto w = world_of("dns-empty-record");
  const auto dir = run_example("dns-empty-record");
  const auto m = read_json(dir / "summary.json")["metrics"];
  ASSERT_GT(m["failed_requests"].get<double>(), 0.0);
  // Every failed request comes from the emptied record, including those
  // after the fault ended, while caches still held the empty answer.
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
  EXPECT_NEAR(m["faults"]["empty-dynamodb-record"]["failed_requests"].get<double>(),
              m["failed_requests"].get<double>(), 1e-6 * m["failed_requests"].get<double>());
  const std::string attribution = slurp(dir / "attribution.csv");
  EXPECT_NE(attribution.find(",empty-dynamodb-record,1\n"), std::string::npos) << attribution;
  EXPECT_EQ(attribution.find(",,"), std::string::npos) << "no interval without a cause";
}

// --- serve-stale ----------------------------------------------------------------

/// How long the example's crash keeps the authoritative servers down.
double crash_down_s(const world::Fault& fault) { return *std::get<scenario::faults::Crash>(fault.kind).down_s; }

TEST(DnsServeStale, AnOutageShorterThanTheStaleWindowFailsNothing) {
  const auto w = world_of("dns-serve-stale");
  const auto& fault = w.faults.at(0);
  const double down_s = crash_down_s(fault);
  ASSERT_LT(down_s, w.sites.at(0).dependencies.at(0).serve_stale_s);
  const auto dir = run_example("dns-serve-stale");
  const auto m = read_json(dir / "summary.json")["metrics"];
  EXPECT_EQ(m["availability_min"].get<double>(), 1.0);
  EXPECT_EQ(m["failed_requests"].get<double>(), 0.0);
  for (const auto& [t, a] : read_series(dir, "site", "shop.example", "availability")) EXPECT_EQ(a, 1.0) << t;

  // The authoritative servers were unreachable, exactly while they were down.
  const auto events = read_events(dir);
  const auto lost = record_events(events, "authority_unreachable");
  const auto back = record_events(events, "authority_reachable");
  ASSERT_EQ(lost.size(), 1u);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(lost[0]["entity"], "ns1.www");
  EXPECT_EQ(lost[0]["t"], fault.at_s);
  EXPECT_EQ(lost[0]["cause"], "fault:dns-servers-down");
  EXPECT_EQ(back[0]["t"], fault.at_s + down_s);
}

TEST(DnsServeStale, WithoutServeStaleFailuresRampOverTheTtl) {
  const auto w = world_of("dns-serve-stale");
  const double d0 = w.faults.at(0).at_s, d1 = d0 + crash_down_s(w.faults.at(0));
  const double ttl = record_named(w, "ns1.www").ttl_s;
  const auto dir = run_example("dns-serve-stale", "--set sites[0].depends_on[0].serve_stale=0");
  int failing = 0;
  for (const auto& [t, a] : read_series(dir, "site", "shop.example", "availability")) {
    const double unresolved = t > d0 && t < d1 ? std::min(1.0, (t - d0) / ttl) : 0.0;
    EXPECT_NEAR(a, 1 - unresolved, exact) << t;
    failing += a < 1;
  }
  EXPECT_GT(failing, 0);
}

TEST(DnsServeStale, AStaleWindowShorterThanTheOutageDelaysTheFailures) {
  const auto w = world_of("dns-serve-stale");
  const double d0 = w.faults.at(0).at_s, d1 = d0 + crash_down_s(w.faults.at(0));
  const double ttl = record_named(w, "ns1.www").ttl_s, stale = 600;
  const auto dir = run_example("dns-serve-stale", "--set sites[0].depends_on[0].serve_stale=10m");
  for (const auto& [t, a] : read_series(dir, "site", "shop.example", "availability")) {
    const double unresolved = t > d0 && t < d1 ? std::clamp((t - d0 - stale) / ttl, 0.0, 1.0) : 0.0;
    EXPECT_NEAR(a, 1 - unresolved, exact) << t;
  }
}

// --- health-checked failover ------------------------------------------------------

struct FailoverRun {
  world::World w = world_of("dns-failover");
  fs::path dir = run_example("dns-failover");
  std::vector<nlohmann::json> events = read_events(dir);
  const world::Record& record = record_named(w, "dns.www");
  int primary_instances = static_cast<int>(w.services.at(static_cast<std::size_t>(record.points_to)).instances.size());
};

TEST(DnsFailover, FailsOverAtTheThresholdthCheckAfterThePrimaryFails) {
  FailoverRun run;
  const auto& check = *run.record.health_check;
  const double push = run.w.faults.at(0).at_s;
  const double failed = last_applied(run.events, "cdn-a.config@v1", run.primary_instances);
  ASSERT_GT(failed, push);
  const auto failovers = record_events(run.events, "failover");
  ASSERT_EQ(failovers.size(), 1u);
  const double at = failovers[0]["t"];
  EXPECT_EQ(at, nth_check_from(failed, check.interval_s, check.failure_threshold));
  // Interval x threshold after the failure, less the phase of the checks.
  EXPECT_GT(at - push, (check.failure_threshold - 1) * check.interval_s);
  EXPECT_LE(at - push, check.failure_threshold * check.interval_s);
  EXPECT_EQ(failovers[0]["answer"], "cdn-b.edge");
  EXPECT_EQ(failovers[0]["cause"], "health_check:dns.www");

  const double restored = last_applied(run.events, "cdn-a.config@v2", run.primary_instances);
  const auto failbacks = record_events(run.events, "failback");
  ASSERT_EQ(failbacks.size(), 1u);
  EXPECT_EQ(failbacks[0]["t"].get<double>(), nth_check_from(restored, check.interval_s, check.failure_threshold));
  EXPECT_EQ(failbacks[0]["answer"], "cdn-a.edge");
}

TEST(DnsFailover, ClientsMoveToTheSecondaryOverOneTtl) {
  FailoverRun run;
  const double ttl = run.record.ttl_s;
  const double failed = last_applied(run.events, "cdn-a.config@v1", run.primary_instances);
  const double at = record_events(run.events, "failover").at(0)["t"];
  const double push = run.w.faults.at(0).at_s;
  int ramp_samples = 0;
  for (const char* site : {"shop.example", "news.example"})
    for (const auto& [t, a] : read_series(run.dir, "site", site, "availability")) {
      if (t <= push) {
        EXPECT_EQ(a, 1.0) << t;
      } else if (t >= failed && t <= at) {
        EXPECT_EQ(a, 0.0) << t;  // every client still holds CDN A
      } else if (t > at) {
        // Clients on CDN B work; those still on CDN A fail until the revert,
        // after which both work (the failback moves clients between two good CDNs).
        EXPECT_NEAR(a, std::min(1.0, (t - at) / ttl), exact) << t;
        ramp_samples += t < at + ttl;
      }
    }
  EXPECT_GT(ramp_samples, 2 * 3);
  const auto m = read_json(run.dir / "summary.json")["metrics"];
  EXPECT_EQ(m["availability_min"].get<double>(), 0.0);
}

TEST(DnsFailover, DisabledFailoverKeepsThePrimaryUntilEnabled) {
  const auto w = world_of("dns-failover-disabled");
  const auto& record = record_named(w, "dns.www");
  const auto& check = *record.health_check;
  const auto dir = run_example("dns-failover-disabled");
  const auto events = read_events(dir);
  const int instances = static_cast<int>(w.services.at(static_cast<std::size_t>(record.points_to)).instances.size());
  const double failed = last_applied(events, "cdn-a.config@v1", instances);

  double disabled = -1, enabled = -1;
  for (const auto& a : w.actions) {
    if (std::holds_alternative<scenario::actions::DisableFailover>(a.kind)) disabled = *a.at_s;
    if (std::holds_alternative<scenario::actions::EnableFailover>(a.kind)) enabled = *a.at_s;
  }
  ASSERT_LT(disabled, failed);
  ASSERT_GT(enabled, failed + check.failure_threshold * check.interval_s);  // would have failed over by then
  const auto off = record_events(events, "failover_disabled"), on = record_events(events, "failover_enabled");
  ASSERT_EQ(off.size(), 1u);
  ASSERT_EQ(on.size(), 1u);
  EXPECT_EQ(off[0]["t"], disabled);
  EXPECT_EQ(off[0]["cause"], "operator:dns-team");
  EXPECT_EQ(on[0]["t"], enabled);

  // The checks count afresh from the enable.
  const auto failovers = record_events(events, "failover");
  ASSERT_EQ(failovers.size(), 1u);
  const double at = failovers[0]["t"];
  EXPECT_EQ(at, nth_check_from(enabled, check.interval_s, check.failure_threshold));
  for (const auto& [t, a] : read_series(dir, "site", "shop.example", "availability")) {
    if (t >= failed && t <= at) {
      EXPECT_EQ(a, 0.0) << t;
    } else if (t > at) {
      EXPECT_NEAR(a, std::min(1.0, (t - at) / record.ttl_s), exact) << t;
    }
  }

  // Longer down than with failover enabled throughout.
  const auto with_failover = read_json(run_example("dns-failover") / "summary.json")["metrics"];
  const auto without = read_json(dir / "summary.json")["metrics"];
  EXPECT_GT(without["failed_requests"].get<double>(), with_failover["failed_requests"].get<double>());
}

// --- determinism and validation --------------------------------------------------------

TEST(DnsExamples, SameSeedGivesByteIdenticalFiles) {
  for (const char* name :
       {"dns-empty-record", "dns-serve-stale", "dns-failover-disabled", "dns-regional-caches", "dns-query-flood"}) {
    const fs::path a = run_example(name), b = fs::temp_directory_path() / fmt::format("outagesim-dns-{}-b", getpid());
    fs::remove_all(b);
    ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}'", example(name), b.string())).exit_code, 0) << name;
    for (const char* file : {"summary.json", "timeseries.csv", "events.jsonl"})
      EXPECT_EQ(slurp(a / file), slurp(b / file)) << name << " " << file;
    fs::remove_all(b);
  }
}

TEST(DnsExamples, ACachedDependencyNamesARecordOrATargetAndTheRecordsTtlApplies) {
  const fs::path dir = fresh_dir("dns-bad");
  std::string text = slurp(example("dns-serve-stale"));
  const std::string dependency = "{kind: cached, record: ns1.www, serve_stale: 1h}";
  ASSERT_NE(text.find(dependency), std::string::npos);
  text.replace(text.find(dependency), dependency.size(),
               "{kind: cached, record: ns1.www, target: cdn.edge, ttl: 5m}, {kind: hard, record: ns1.www}");
  const fs::path file = dir / "bad.yaml";
  std::ofstream(file) << text;
  const Outcome o = outagesim(fmt::format("validate '{}'", file.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("a cached dependency names a 'target' or a 'record', not both"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'ttl' does not apply to a cached dependency through a record"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'record' does not apply to a dependency of kind hard"), std::string::npos) << o.err;
  fs::remove_all(dir);
}


// --- resolver caches per client region ---------------------------------------------

namespace regional {

/// dns-regional-caches: the numbers the expectations are derived from.
struct RegionalRun {
  world::World w = world_of("dns-regional-caches");
  fs::path dir = run_example("dns-regional-caches");
  const world::Fault& emptied = w.faults.at(0);
  const world::Fault& cut = w.faults.at(1);
  double e0 = emptied.at_s, e1 = emptied.at_s + *emptied.duration_s;  // the api record empty, then fixed
  double c0 = cut.at_s, c1 = cut.at_s + *cut.duration_s;              // ap-southeast partitioned
  double ttl = record_named(w, "ns.www").ttl_s;
  double stale = w.sites.at(0).dependencies.at(0).serve_stale_s;
  std::vector<double> users{w.client_regions.at(0).users, w.client_regions.at(1).users, w.client_regions.at(2).users};
  std::size_t cut_off = 2;  // ap-southeast

  /// Share of a cut-off region's clients that cannot resolve: answers expire
  /// uniformly over the TTL after c0 and each is served stale for `stale`.
  [[nodiscard]] double unresolved(double t) const {
    return t > c0 && t < c1 ? std::clamp((t - c0 - stale) / ttl, 0.0, 1.0) : 0.0;
  }
  /// Share of a freely refreshing region's clients on api's good answer.
  [[nodiscard]] double api_good(double t) const {
    if (t <= e0) return 1.0;
    if (t <= e1) return std::max(0.0, 1 - (t - e0) / ttl);
    return std::min(1.0, (t - e1) / ttl);
  }
  /// The same in the cut-off region: frozen on what it held at c0 while cut off.
  [[nodiscard]] double api_good_cut_off(double t) const {
    if (t < c0) return api_good(t);
    if (t < c1) return api_good(c0);
    return 1.0;
  }
};

const char* const region_names[] = {"na-east", "eu-west", "ap-southeast"};

TEST(DnsRegionalCaches, TheScenarioIsWhatTheTestAssumes) {
  RegionalRun run;
  ASSERT_EQ(run.w.client_region_names.at(run.cut_off), "ap-southeast");
  ASSERT_TRUE(std::holds_alternative<scenario::faults::Partition>(run.cut.kind));
  ASSERT_TRUE(std::holds_alternative<scenario::faults::DnsRecordChange>(run.emptied.kind));
  EXPECT_DOUBLE_EQ(run.users[0] + run.users[1] + run.users[2], 1.0);
  EXPECT_EQ(run.w.diurnal.peak_to_trough, 1.0);  // flat: request shares are user shares
  EXPECT_LT(run.e0, run.c0);
  EXPECT_LT(run.c0, run.e1);                    // the fix lands while ap-southeast is cut off
  EXPECT_LT(run.c0 + run.stale + run.ttl, run.c1);  // and the stale window ends before the cut heals
  // Jumps (the heal) fall between samples, so no sample depends on the
  // order of two actors at one instant.
  EXPECT_NE(std::fmod(run.c1, run.w.resolution_s), 0.0);
}

TEST(DnsRegionalCaches, ACutOffRegionFailsExactlyWhenItsStaleWindowEndsAndNoOtherRegionDoes) {
  RegionalRun run;
  int ramp_samples = 0;
  for (std::size_t c = 0; c < 3; ++c) {
    const auto series = read_series(run.dir, "site", std::string("shop.example/") + region_names[c], "client_availability");
    ASSERT_EQ(series.size(), static_cast<std::size_t>(std::llround(run.w.duration_s / run.w.resolution_s)) + 1);
    for (const auto& [t, a] : series) {
      const double expected = c == run.cut_off ? 1 - run.unresolved(t) : 1.0;
      EXPECT_NEAR(a, expected, exact) << region_names[c] << " at " << t;
      if (c == run.cut_off) {
        if (t <= run.c0 + run.stale) {
          EXPECT_EQ(a, 1.0) << "before the stale window ends, at " << t;
        }
        ramp_samples += t > run.c0 + run.stale && t < run.c0 + run.stale + run.ttl;
      }
    }
  }
  EXPECT_GE(ramp_samples, 20);  // the ramp is sampled, not stepped over
  // The site: the regions weighted by their shares of the requests.
  for (const auto& [t, a] : read_series(run.dir, "site", "shop.example", "availability"))
    EXPECT_NEAR(a, 1 - run.users[run.cut_off] * run.unresolved(t), exact) << t;
}

TEST(DnsRegionalCaches, AFixReachesEachRegionAsItsResolversCanFetchIt) {
  RegionalRun run;
  for (std::size_t c = 0; c < 3; ++c) {
    const auto series = read_series(run.dir, "site", std::string("app.example/") + region_names[c], "client_availability");
    ASSERT_EQ(series.size(), static_cast<std::size_t>(std::llround(run.w.duration_s / run.w.resolution_s)) + 1);
    for (const auto& [t, a] : series) {
      const double expected = c == run.cut_off ? run.api_good_cut_off(t) : run.api_good(t);
      EXPECT_NEAR(a, expected, exact) << region_names[c] << " at " << t;
      // Recovered no later than one TTL after the fix, or after the region could refresh again.
      const double recovered_by = c == run.cut_off ? run.c1 : run.e1 + run.ttl;
      if (t >= recovered_by) {
        EXPECT_EQ(a, 1.0) << region_names[c] << " at " << t;
      }
    }
  }
  for (const auto& [t, a] : read_series(run.dir, "site", "app.example", "availability")) {
    const double expected = (run.users[0] + run.users[1]) * run.api_good(t) + run.users[2] * run.api_good_cut_off(t);
    EXPECT_NEAR(a, expected, exact) << t;
  }
}

TEST(DnsRegionalCaches, TheCutOffIsLoggedForItsRegionWithThePartitionAsCause) {
  RegionalRun run;
  const auto events = read_events(run.dir);
  // Reachability changed for ap-southeast's resolvers only, once each way
  // for each record the authority answers.
  for (const char* reason : {"authority_unreachable", "authority_reachable"}) {
    const auto changes = record_events(events, reason);
    ASSERT_EQ(changes.size(), 2u) << reason;
    for (const auto& e : changes) {
      EXPECT_EQ(e["client_region"], "ap-southeast");
      EXPECT_EQ(e["cause"], "fault:apac-cut-off");
      EXPECT_EQ(e["t"].get<double>(), std::string(reason) == "authority_unreachable" ? run.c0 : run.c1);
    }
  }
}

TEST(DnsRegionalCaches, FailuresAreChargedToTheEmptiedRecordAndToThePartition) {
  RegionalRun run;
  const auto m = read_json(run.dir / "summary.json")["metrics"];
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
  // Sample k stands for the interval up to sample k + 1. Empty answers are
  // the record change's; answers that expired while ap-southeast was cut
  // off, the partition's.
  const double shop = site_rps(run.w, "shop.example"), app = site_rps(run.w, "app.example");
  const double ap = run.users[run.cut_off];
  double by_partition = 0, by_record = 0;
  const auto t = read_series(run.dir, "global", "", "availability");
  for (std::size_t k = 0; k + 1 < t.size(); ++k) {
    const double at = t[k].first, dt = t[k + 1].first - at;
    by_partition += dt * (shop + app) * ap * run.unresolved(at);
    const double empty_cut_off = run.api_good_cut_off(at) < 1 ? 1 - run.api_good_cut_off(at) - run.unresolved(at) : 0.0;
    by_record += dt * app * ((1 - ap) * (1 - run.api_good(at)) + ap * empty_cut_off);
  }
  ASSERT_GT(by_partition, 0.0);
  const auto faults = m["faults"];
  EXPECT_NEAR(faults["apac-cut-off"]["failed_requests"].get<double>(), by_partition, 1e-9 * by_partition);
  EXPECT_NEAR(faults["api-emptied"]["failed_requests"].get<double>(), by_record, 1e-9 * by_record);
  EXPECT_NEAR(m["failed_requests"].get<double>(), by_partition + by_record, 1e-9 * (by_partition + by_record));
}

TEST(DnsRegionalCaches, AnOutageIsChargedToWhatKeepsItGoing) {
  // tests/data/dns/cause-changes-while-cut-off.yaml: the authority is down
  // for everyone from +1m to +11m (a crash); na-east's users are cut off by
  // a partition from +5m to +35m. 1k rps, half from each region, TTL 1m,
  // no serve-stale.
  const fs::path dir = fresh_dir("cause-changes");
  const auto o = outagesim(fmt::format("run '{}/tests/data/dns/cause-changes-while-cut-off.yaml' --out '{}'",
                                       OUTAGESIM_SOURCE_DIR, dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto m = read_json(dir / "summary.json")["metrics"];
  const double rps = 1000, sample_s = 10;
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
  // From +11m only the partition keeps na-east cut off: its half fails, the
  // partition's, to +35m.
  EXPECT_NEAR(m["faults"]["na-cut-off"]["failed_requests"].get<double>(), rps / 2 * (2100 - 660), rps * sample_s);
  // Before, everyone's caches expire over the TTL while the crash lasts:
  // the crash's, na-east's part included.
  EXPECT_NEAR(m["faults"]["ns-down"]["failed_requests"].get<double>(), rps * (600 - 60.0 / 2), 2 * rps * sample_s);
}

}  // namespace regional

// --- a DNS provider unreachable from some client regions ---------------------------

namespace unreachable {

/// fault-dns-unreachable: the numbers the expectations are derived from.
struct UnreachableRun {
  world::World w = world_of("fault-dns-unreachable");
  fs::path dir = run_example("fault-dns-unreachable");
  const world::Fault& cut = w.faults.at(0);
  double c0 = cut.at_s, c1 = cut.at_s + *cut.duration_s;  // ap-southeast's resolvers lose ns
  std::size_t cut_off = 2;                                 // ap-southeast
  std::vector<double> users{w.client_regions.at(0).users, w.client_regions.at(1).users, w.client_regions.at(2).users};

  /// Share of the cut-off region's clients of a site that cannot resolve:
  /// answers expire uniformly over the TTL after c0, each served stale for
  /// `stale`, and all refresh at c1.
  [[nodiscard]] double unresolved(double t, double ttl, double stale) const {
    return t > c0 && t < c1 ? std::clamp((t - c0 - stale) / ttl, 0.0, 1.0) : 0.0;
  }
};

/// A record site of the example: its record's TTL and its stale window.
struct RecordSite {
  const char* name;
  const char* record;
};
const RecordSite record_sites[] = {{"shop.example", "ns.www"}, {"app.example", "ns.api"}};
const char* const unreachable_regions[] = {"na-east", "eu-west", "ap-southeast"};

double stale_of(const world::World& w, const std::string& site) {
  for (const auto& s : w.sites)
    if (s.name == site) return s.dependencies.at(0).serve_stale_s;
  throw std::runtime_error("no site " + site);
}

TEST(DnsUnreachable, TheScenarioIsWhatTheTestAssumes) {
  UnreachableRun run;
  ASSERT_TRUE(std::holds_alternative<scenario::faults::DnsUnreachable>(run.cut.kind));
  EXPECT_FALSE(run.cut.region_wide);
  EXPECT_TRUE(run.cut.instances.empty());
  ASSERT_EQ(run.w.client_region_names.at(run.cut_off), "ap-southeast");
  EXPECT_DOUBLE_EQ(run.users[0] + run.users[1] + run.users[2], 1.0);
  EXPECT_EQ(run.w.diurnal.peak_to_trough, 1.0);  // flat: request shares are user shares
  // The shop's stale window and TTL, and the app's TTL, end before the fault.
  EXPECT_LT(run.c0 + stale_of(run.w, "shop.example") + record_named(run.w, "ns.www").ttl_s, run.c1);
  EXPECT_EQ(stale_of(run.w, "app.example"), 0.0);
  EXPECT_LT(run.c0 + record_named(run.w, "ns.api").ttl_s, run.c1);
  // Jumps fall between samples.
  EXPECT_NE(std::fmod(run.c0, run.w.resolution_s), 0.0);
  EXPECT_NE(std::fmod(run.c1, run.w.resolution_s), 0.0);
}

TEST(DnsUnreachable, OnlyTheListedRegionFailsAfterItsTtlAndStaleWindow) {
  UnreachableRun run;
  for (const auto& site : record_sites) {
    const double ttl = record_named(run.w, site.record).ttl_s, stale = stale_of(run.w, site.name);
    int ramp_samples = 0;
    for (std::size_t c = 0; c < 3; ++c) {
      const auto series =
          read_series(run.dir, "site", std::string(site.name) + "/" + unreachable_regions[c], "client_availability");
      ASSERT_EQ(series.size(), static_cast<std::size_t>(std::llround(run.w.duration_s / run.w.resolution_s)) + 1);
      for (const auto& [t, a] : series) {
        const double expected = c == run.cut_off ? 1 - run.unresolved(t, ttl, stale) : 1.0;
        EXPECT_NEAR(a, expected, exact) << site.name << " " << unreachable_regions[c] << " at " << t;
        if (c == run.cut_off) ramp_samples += t > run.c0 + stale && t < run.c0 + stale + ttl;
      }
    }
    EXPECT_GE(ramp_samples, 10) << site.name;  // the ramp is sampled, not stepped over
    for (const auto& [t, a] : read_series(run.dir, "site", site.name, "availability"))
      EXPECT_NEAR(a, 1 - run.users[run.cut_off] * run.unresolved(t, ttl, stale), exact) << site.name << " at " << t;
  }
  // Nothing else is cut: the site that reaches the shop without DNS never fails.
  for (const auto& [t, a] : read_series(run.dir, "site", "status.example", "availability"))
    EXPECT_EQ(a, 1.0) << t;
}

TEST(DnsUnreachable, TheCutOffIsLoggedForItsRegionWithTheFaultAsCauseAndNoInstanceChanges) {
  UnreachableRun run;
  const auto events = read_events(run.dir);
  for (const char* reason : {"authority_unreachable", "authority_reachable"}) {
    const auto changes = record_events(events, reason);
    ASSERT_EQ(changes.size(), 2u) << reason;  // each record the authority answers
    for (const auto& e : changes) {
      EXPECT_EQ(e["client_region"], "ap-southeast");
      EXPECT_EQ(e["cause"], "fault:apac-dns-lost");
      EXPECT_EQ(e["t"].get<double>(), std::string(reason) == "authority_unreachable" ? run.c0 : run.c1);
    }
  }
  for (const auto& e : events) EXPECT_NE(e["kind"], "instance_changed") << e.dump();
}

TEST(DnsUnreachable, FailuresAndOutagesAreChargedToTheFault) {
  UnreachableRun run;
  const auto m = read_json(run.dir / "summary.json")["metrics"];
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
  // Sample k stands for the interval up to sample k + 1.
  const double ap = run.users[run.cut_off];
  double expected = 0;
  const auto t = read_series(run.dir, "global", "", "availability");
  for (std::size_t k = 0; k + 1 < t.size(); ++k) {
    const double at = t[k].first, dt = t[k + 1].first - at;
    for (const auto& site : record_sites)
      expected += dt * site_rps(run.w, site.name) * ap *
                  run.unresolved(at, record_named(run.w, site.record).ttl_s, stale_of(run.w, site.name));
  }
  ASSERT_GT(expected, 0.0);
  EXPECT_NEAR(m["faults"]["apac-dns-lost"]["failed_requests"].get<double>(), expected, 1e-9 * expected);
  EXPECT_NEAR(m["failed_requests"].get<double>(), expected, 1e-9 * expected);
  // The record sites fall below site_down_below (30% of their users cut
  // off); every outage interval is the fault's alone.
  const std::string csv = slurp(run.dir / "attribution.csv");
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "site,start,end,fault,share");
  std::set<std::string> sites;
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 5u) << line;
    sites.insert(cells[0]);
    EXPECT_EQ(cells[3], "apac-dns-lost") << line;
    EXPECT_EQ(std::stod(cells[4]), 1.0) << line;
    EXPECT_GT(std::stod(cells[1]), run.c0) << line;
    EXPECT_LE(std::stod(cells[2]), run.c1 + run.w.resolution_s) << line;
  }
  EXPECT_EQ(sites, (std::set<std::string>{"shop.example", "app.example"}));
}

}  // namespace unreachable

}  // namespace
}  // namespace outagesim
