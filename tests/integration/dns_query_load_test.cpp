// A DNS authority under query load (scenarios/examples/dns-query-flood.yaml,
// docs/models/dns.md "Authorities under query load"), run through the CLI
// and held to what its numbers imply: the refresh rate resolvers / TTL, the
// retry storm's fixed point, the answered share capacity / refreshes, the
// stale window, and the fix. Expected values are computed here from the
// scenario and the equations, never copied from a run.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// The example's world, run once for every test of this process.
struct FloodRun {
  world::World w = world::build(scenario::load(example("dns-query-flood")));
  fs::path dir = run_example("dns-query-flood");
  const world::Record& record = w.records.at(0);
  const world::Service& authority = w.services.at(static_cast<std::size_t>(record.authority));
  const world::Fault& flood = w.faults.at(0);
  double surge = std::get<scenario::faults::LoadSurge>(flood.kind).load_factor;
  double f0 = flood.at_s, f1 = flood.at_s + *flood.duration_s;
  double fix = *w.actions.at(0).at_s;
  double capacity = 0;  ///< the authority's, before the fix
  /// The retries in flight when the fix lands have all arrived this long
  /// after it: at most max_retries waits of at most backoff_max each.
  double retries_land_s = authority.queue.retry.max_retries * authority.queue.retry.backoff_max_s;
  double scaled = std::get<scenario::actions::Scale>(w.actions.at(0).kind).factor;  ///< the fix's capacity factor
  double ttl = record.ttl_s;
  double stale = w.sites.at(0).dependencies.at(0).serve_stale_s;

  FloodRun() {
    for (int i : authority.instances) capacity += w.instances.at(static_cast<std::size_t>(i)).capacity_rps;
  }
  /// Refresh queries per second now: resolvers / TTL, times the flood.
  [[nodiscard]] double refreshes(double t) const {
    return *record.resolvers / ttl * (t >= f0 && t < f1 ? surge : 1.0);
  }
  /// The retry storm's fixed point: every query offered, O = F (1 + q + ... +
  /// q^n) with q = 1 - capacity / O, for F refreshes a second.
  [[nodiscard]] double storm(double refreshes_rps) const {
    double offered = refreshes_rps;
    for (int k = 0; k < 500; ++k) {
      const double q = 1 - std::min(1.0, capacity / offered);
      double sum = 0;
      for (int j = 0; j <= authority.queue.retry.max_retries; ++j) sum += std::pow(q, j);
      offered = refreshes_rps * sum;
    }
    return offered;
  }
};

const FloodRun& run() {
  static const FloodRun r;
  return r;
}

TEST(DnsQueryFlood, TheScenarioIsWhatTheTestAssumes) {
  const auto& r = run();
  ASSERT_TRUE(r.record.resolvers.has_value());
  // resolvers / TTL, below the shop's requests, which do not bound it.
  EXPECT_DOUBLE_EQ(r.record.query_rps, *r.record.resolvers / r.ttl);
  EXPECT_LT(r.record.query_rps, r.w.sites.at(0).rps);
  EXPECT_TRUE(r.authority.carries_queries);
  EXPECT_DOUBLE_EQ(r.authority.dns_query_rps, r.record.query_rps);
  EXPECT_EQ(r.authority.queue.max_wait_s, 0.0);  // no room to queue: the excess is dropped
  EXPECT_LT(r.refreshes(0), r.capacity);           // enough capacity before the flood
  EXPECT_GT(r.refreshes(r.f0), r.capacity);        // not during it
  EXPECT_LT(r.refreshes(r.f0), r.scaled * r.capacity);  // enough once tripled
  EXPECT_LT(r.fix, r.f1);
  EXPECT_LT(r.f0 + r.stale + r.ttl, r.fix);  // the failures reach their plateau before the fix
  EXPECT_NE(std::fmod(r.f0, r.w.resolution_s), 0.0);  // jumps fall between samples
}

TEST(DnsQueryFlood, RetriesMultiplyTheQueriesToTheStormsFixedPoint) {
  const auto& r = run();
  const auto queries = read_series(r.dir, "service", r.authority.id, "dns_query_rps");
  ASSERT_FALSE(queries.empty());
  const double storm = r.storm(r.refreshes(r.f0));
  EXPECT_GT(storm, 4 * r.refreshes(r.f0));  // a storm indeed
  for (double q : inside(queries, 0, r.f0)) EXPECT_NEAR(q, r.refreshes(0), 1e-9);
  // Settled a minute into the flood, to the fix.
  for (double q : inside(queries, r.f0 + 60, r.fix)) EXPECT_NEAR(q, storm, 0.02 * storm);
  // After the fix: the flood alone, once the last retries have landed.
  for (double q : inside(queries, r.fix + r.retries_land_s, r.f1)) EXPECT_NEAR(q, r.refreshes(r.f0), 1e-6 * r.refreshes(r.f0));
  for (double q : inside(queries, r.f1 + 30, r.w.duration_s)) EXPECT_NEAR(q, r.refreshes(0), 1e-6);
}

TEST(DnsQueryFlood, TheServersAnswerTheirCapacityAndNoMoreAndQueriesAreConserved) {
  const auto& r = run();
  const auto answered = read_series(r.dir, "service", r.authority.id, "dns_answered");
  const auto goodput = read_series(r.dir, "service", r.authority.id, "goodput_rps");
  const auto queries = read_series(r.dir, "service", r.authority.id, "dns_query_rps");
  ASSERT_EQ(answered.size(), goodput.size());
  for (double a : inside(answered, 0, r.f0)) EXPECT_EQ(a, 1.0);
  for (double a : inside(answered, r.fix + r.retries_land_s, r.w.duration_s)) EXPECT_EQ(a, 1.0);
  // During the flood: capacity / refreshes of them answered, retries or not.
  const double share = r.capacity / r.refreshes(r.f0);
  for (double a : inside(answered, r.f0 + 60, r.fix)) EXPECT_NEAR(a, share, 0.01);
  // Conservation: refreshes answered = answered share x refreshes = the
  // work the servers answer (capacity); every other query offered is a retry
  // or a refresh given up on.
  for (std::size_t k = 0; k < answered.size(); ++k) {
    const double t = answered[k].first;
    if (t <= r.f0 + 60 || t >= r.fix) continue;
    EXPECT_NEAR(goodput[k].second, r.capacity, 1e-6 * r.capacity) << t;
    EXPECT_NEAR(answered[k].second * r.refreshes(t), goodput[k].second, 0.01 * r.capacity) << t;
    const double given_up = r.refreshes(t) * (1 - answered[k].second);
    const double retries = queries[k].second - r.refreshes(t);
    const double failed_attempts = queries[k].second - goodput[k].second;
    EXPECT_NEAR(retries + given_up, failed_attempts, 0.02 * failed_attempts) << t;
  }
}

TEST(DnsQueryFlood, TheUnansweredResolversFailAfterTheirStaleWindowUntilTheFix) {
  const auto& r = run();
  const double share = r.capacity / r.refreshes(r.f0);
  // The resolvers left unrefreshed (1 - share of them) see their answers
  // expire uniformly over one TTL from the flood's start, serve them stale,
  // then fail; all refresh at once at the fix.
  auto expected = [&](double t) {
    if (t >= r.fix + r.retries_land_s) return 1.0;
    return 1 - (1 - share) * std::clamp((t - r.f0 - r.stale) / r.ttl, 0.0, 1.0);
  };
  const auto site = read_series(r.dir, "site", "shop.example", "availability");
  int ramp = 0;
  for (const auto& [t, a] : site) {
    if (t > r.fix && t < r.fix + r.retries_land_s) {
      EXPECT_GE(a, share - 0.01) << t;  // the storm's last retries may keep a few resolvers out
      continue;
    }
    EXPECT_NEAR(a, expected(t), 0.01) << t;
    if (t < r.f0 + r.stale || t > r.fix + r.retries_land_s) {
      EXPECT_EQ(a, 1.0) << t;
    }
    ramp += t > r.f0 + r.stale && t < r.f0 + r.stale + r.ttl;
  }
  EXPECT_GE(ramp, 25);  // the ramp is sampled, not stepped over
  const auto m = read_json(r.dir / "summary.json")["metrics"];
  EXPECT_NEAR(m["availability_min"].get<double>(), share, 0.01);
}

TEST(DnsQueryFlood, TheFailuresAreChargedToTheFlood) {
  const auto& r = run();
  const auto m = read_json(r.dir / "summary.json")["metrics"];
  const double failed = m["failed_requests"].get<double>();
  ASSERT_GT(failed, 0);
  EXPECT_NEAR(m["faults"]["flood"]["failed_requests"].get<double>(), failed, 1e-9 * failed);
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
}

TEST(DnsQueryFlood, MoreAuthorityCapacityNeverLowersResolutionSuccess) {
  // The same flood on 1 to 7 thousand queries/s of capacity, without the fix.
  double previous = -1;
  for (int per_instance : {500, 1000, 1500, 2000, 2500, 3500}) {
    const auto dir = run_example(
        "dns-query-flood", fmt::format("--set providers.ns.services.authoritative.capacity={}rps --set 'operators=[]'",
                                       per_instance));
    const double mean = read_json(dir / "summary.json")["metrics"]["availability_mean"].get<double>();
    EXPECT_GE(mean, previous) << per_instance;
    previous = mean;
  }
  EXPECT_DOUBLE_EQ(previous, 1.0);  // 7,000 queries/s answer the flood's 6,000
}

TEST(DnsQueryFlood, WithRoomToQueuePastTheResolversTimeoutTheSameFixDoesNotRescueIt) {
  // Queries that wait up to 5 s for resolvers that give up after 2 s: the
  // servers spend their work on queries already abandoned, every timed-out
  // query comes back as a retry, and tripling the capacity no longer
  // covers the storm the flood set off (metastable: it lasts as long as the
  // flood does, not the capacity shortfall).
  const auto& r = run();
  // Without room to queue (the example) the same fix does rescue it. Read
  // first: run_example reuses the example's directory.
  const auto plain = read_series(r.dir, "service", r.authority.id, "dns_answered");
  for (double a : inside(plain, r.fix + r.retries_land_s, r.f1)) EXPECT_EQ(a, 1.0);
  const auto dir = run_example(
      "dns-query-flood",
      "--set 'providers.ns.services.authoritative.queue={max_wait: 5s, timeout: 2s, retry: {max_retries: 5, "
      "backoff_base: 1s, backoff_max: 4s, jitter: full}}'");
  const auto answered = read_series(dir, "service", r.authority.id, "dns_answered");
  const auto wasted = read_series(dir, "service", r.authority.id, "wasted_rps");
  for (double a : inside(answered, r.fix + r.retries_land_s, r.f1)) EXPECT_LT(a, 0.5);
  for (double w : inside(wasted, r.fix + r.retries_land_s, r.f1)) EXPECT_GT(w, 0.0);
  for (double a : inside(answered, r.f1 + 60, r.w.duration_s)) EXPECT_EQ(a, 1.0);
}

/// Every row of timeseries.csv but the authorities' own query series.
std::vector<std::string> rows_without_query_series(const fs::path& dir) {
  std::vector<std::string> rows;
  std::istringstream csv(slurp(dir / "timeseries.csv"));
  for (std::string line; std::getline(csv, line);)
    if (line.find(",dns_query_rps,") == std::string::npos && line.find(",dns_answered,") == std::string::npos)
      rows.push_back(line);
  return rows;
}

TEST(DnsQueryLoad, AnAuthorityThatAnswersEverythingOrNothingBehavesAsBefore) {
  // The binary model is the special case: resolvers on the records of an
  // authority far from its capacity change nothing, neither while it answers
  // everything nor while it is down (a crash; a region cut off).
  const std::vector<std::pair<std::string, std::string>> cases{
      {"dns-serve-stale", "--set 'sites[0].depends_on[0].serve_stale=2m'"},
      {"fault-dns-unreachable", ""},
      {"dns-empty-record", ""}};
  for (const auto& [name, extra] : cases) {
    const auto w = world::build(scenario::load(example(name)));
    std::string loaded = extra;
    for (const auto& record : w.records) {
      const auto dot = record.id.find('.');
      loaded += fmt::format(" --set providers.{}.records.{}.resolvers=100000", record.id.substr(0, dot),
                            record.id.substr(dot + 1));
    }
    // run_example reuses one directory per example: read each run at once.
    const auto before = run_example(name, extra);
    const auto rows = rows_without_query_series(before);
    const auto events = slurp(before / "events.jsonl");
    const auto m0 = read_json(before / "summary.json")["metrics"];
    const auto after = run_example(name, loaded);
    EXPECT_EQ(rows, rows_without_query_series(after)) << name;
    EXPECT_EQ(events, slurp(after / "events.jsonl")) << name;
    const auto m1 = read_json(after / "summary.json")["metrics"];
    EXPECT_GT(m0["failed_requests"].get<double>(), 0.0) << name;
    EXPECT_EQ(m0["failed_requests"], m1["failed_requests"]) << name;
    EXPECT_NE(slurp(after / "timeseries.csv").find(",dns_answered,"), std::string::npos) << name;  // opted in indeed
  }
}

}  // namespace
}  // namespace outagesim
