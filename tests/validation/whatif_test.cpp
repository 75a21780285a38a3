// The what-if scenarios (scenarios/whatif/) against their baseline replays,
// through `outagesim run` and `outagesim compare`: each must move the
// outcome in the expected direction, by an amount bounded by a figure
// computed here from the loaded scenarios (never copied from a run).
#include "tests/integration/cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace outagesim {
namespace {

using namespace outagesim::testing;

std::string incident_path(const std::string& name) {
  return fmt::format("{}/scenarios/incidents/{}.yaml", OUTAGESIM_SOURCE_DIR, name);
}
std::string whatif_path(const std::string& name) {
  return fmt::format("{}/scenarios/whatif/{}.yaml", OUTAGESIM_SOURCE_DIR, name);
}

fs::path run_scenario(const std::string& path, const std::string& label) {
  const fs::path dir = fresh_dir("whatif-" + label);
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", path, dir.string()));
  if (o.exit_code != 0) throw std::runtime_error("run failed: " + o.err);
  return dir;
}

/// compare.json of the baseline (a) and the what-if (b).
struct Comparison {
  nlohmann::json metrics;
  fs::path baseline, whatif;
  [[nodiscard]] double a(const std::string& m) const { return metrics.at(m).at("a").get<double>(); }
  [[nodiscard]] double b(const std::string& m) const { return metrics.at(m).at("b").get<double>(); }
};

Comparison compare(const std::string& incident, const std::string& whatif) {
  Comparison c;
  c.baseline = run_scenario(incident_path(incident), incident);
  c.whatif = run_scenario(whatif_path(whatif), whatif);
  const fs::path out = fresh_dir("compare-" + whatif);
  const Outcome o = outagesim(fmt::format("compare '{}' '{}' --out '{}'", c.baseline.string(), c.whatif.string(), out.string()));
  if (o.exit_code != 0) throw std::runtime_error("compare failed: " + o.err);
  c.metrics = read_json(out / "compare.json")["metrics"];
  return c;
}

const world::Service& service(const world::World& w, const std::string& id) {
  for (const auto& s : w.services)
    if (s.id == id) return s;
  throw std::runtime_error("no service " + id);
}

const world::Channel& channel(const world::World& w, const std::string& id) {
  for (const auto& c : w.channels)
    if (c.id == id) return c;
  throw std::runtime_error("no channel " + id);
}

/// Share of the proxy's requests a bad feature file fails: the
/// capacity-weighted mean of the generator's per-variant error rates over
/// the instances of `variant` (-1: the whole fleet).
double fleet_error_rate(const world::World& w, int variant = -1) {
  const auto& proxy = service(w, "cloudflare.proxy");
  const auto& rates = channel(w, "cloudflare.bot-features").generator->bad_error_rate_by_variant;
  double failed = 0, capacity = 0;
  for (int i : proxy.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    if (variant >= 0 && instance.variant != variant) continue;
    failed += instance.capacity_rps * rates[static_cast<std::size_t>(instance.variant)];
    capacity += instance.capacity_rps;
  }
  return failed / capacity;
}

/// Instances that ever applied a bad version of `channel_id` (error rate above zero).
std::set<std::string> hurt_instances(const fs::path& dir, const std::string& channel_id) {
  std::set<std::string> out;
  for (const auto& e : read_events(dir))
    if (e["kind"] == "config_applied" && e["channel"] == channel_id && e["error_rate"].get<double>() > 0)
      out.insert(e["entity"].get<std::string>());
  return out;
}

world::World load(const std::string& path) { return world::build(scenario::load(path)); }

/// The customer HTTP traffic of a 2025-11-18 run: its lowest availability
/// and its failed requests over the run. The replay's other sites (Workers
/// KV, Access, Turnstile, the dashboard and its logins) do not reach the
/// proxy linearly (Turnstile runs on FL2 alone, and the login backlog
/// overloads the dashboard), so the linear checks below read this site.
struct CustomerTraffic {
  double availability_min = 1;
  double failed_requests = 0;
};
CustomerTraffic customer_traffic(const fs::path& dir, const std::string& site = "http-traffic") {
  CustomerTraffic c;
  for (const auto& [t, a] : read_series(dir, "site", site, "availability"))
    c.availability_min = std::min(c.availability_min, a);
  const auto failed = read_series(dir, "site", site, "failed_requests_cumulative");
  if (failed.empty()) throw std::runtime_error("no failed_requests_cumulative for " + site);
  c.failed_requests = failed.back().second;
  return c;
}

TEST(WhatIf, StagedGatedFeatureFileReachesOnlyTheFirstWave) {
  const auto w = load(whatif_path("cloudflare-2025-11-18-staged-feature-file"));
  const auto& features = channel(w, "cloudflare.bot-features");
  const double consumers = static_cast<double>(service(w, "cloudflare.proxy").instances.size());
  const double first_wave = std::ceil(features.rollout.waves.front().fraction * consumers);
  const Comparison c = compare("cloudflare-2025-11-18", "cloudflare-2025-11-18-staged-feature-file");

  // Every PoP a bad file ever hurt is among the first wave.
  const auto hurt = hurt_instances(c.whatif, "cloudflare.bot-features");
  EXPECT_GT(hurt.size(), 0U);
  EXPECT_LE(static_cast<double>(hurt.size()), first_wave);
  // The same draws give the same bad periods; the first wave fails at most
  // all its requests where the whole fleet failed fleet_error_rate of them.
  const double bound = c.a("failed_requests") * (first_wave / consumers) / fleet_error_rate(w);
  EXPECT_LT(c.b("failed_requests"), c.a("failed_requests"));
  EXPECT_LE(c.b("failed_requests"), bound);
  EXPECT_GT(c.b("availability_min"), c.a("availability_min"));
  EXPECT_GE(c.b("availability_min"), 1 - first_wave / consumers);
}

TEST(WhatIf, Fl2FailingOpenLeavesOnlyTheBotScoreEffect) {
  const auto baseline = load(incident_path("cloudflare-2025-11-18"));
  const auto whatif = load(whatif_path("cloudflare-2025-11-18-fl2-fail-open"));
  const double before = fleet_error_rate(baseline), after = fleet_error_rate(whatif);
  ASSERT_LT(after, before);
  const Comparison c = compare("cloudflare-2025-11-18", "cloudflare-2025-11-18-fl2-fail-open");
  // Customer traffic reaches the proxy linearly, and the bad periods are the
  // same: its failed requests scale with the fleet's error rate, and its low
  // point is one minus it.
  const CustomerTraffic a = customer_traffic(c.baseline), b = customer_traffic(c.whatif);
  EXPECT_NEAR(b.failed_requests / a.failed_requests, after / before, 1e-6);
  EXPECT_NEAR(b.availability_min, 1 - after, 1e-9);
  EXPECT_NEAR(a.availability_min, 1 - before, 1e-9);
  EXPECT_LT(c.b("failed_requests"), c.a("failed_requests"));
}

TEST(WhatIf, StagedGatedKillswitchStopsAtTheFirstWaveWithAnFl1Pop) {
  const auto w = load(whatif_path("cloudflare-2025-12-05-staged"));
  const auto& proxy = service(w, "cloudflare.proxy");
  std::map<std::string, std::string> variant_of;
  int fl1 = 0;
  for (int i : proxy.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    variant_of[instance.id] = proxy.variants[static_cast<std::size_t>(instance.variant)];
    fl1 += variant_of[instance.id] == "fl1" ? 1 : 0;
  }
  const auto& config = channel(w, "cloudflare.global-config");
  const double consumers = static_cast<double>(proxy.instances.size());
  const Comparison c = compare("cloudflare-2025-12-05", "cloudflare-2025-12-05-staged");

  // The gate halted the rollout, at the first wave (this seed's holds FL1 PoPs).
  int halted = 0;
  for (const auto& e : read_events(c.whatif))
    if (e["kind"] == "rollout_halted" && e["by"] == "health_gate") ++halted;
  EXPECT_EQ(halted, 1);
  const auto hurt = hurt_instances(c.whatif, "cloudflare.global-config");
  ASSERT_GT(hurt.size(), 0U);
  EXPECT_LE(static_cast<double>(hurt.size()), std::ceil(config.rollout.waves.front().fraction * consumers));
  for (const auto& id : hurt) EXPECT_EQ(variant_of.at(id), "fl1") << id;
  // Until the same revert, the hurt FL1 PoPs fail as in the baseline, where all FL1 PoPs did.
  const double ratio = static_cast<double>(hurt.size()) / fl1;
  EXPECT_NEAR(c.b("failed_requests") / c.a("failed_requests"), ratio, 0.01 * ratio);
  EXPECT_GT(c.b("availability_min"), c.a("availability_min"));
}

/// Failovers in a run's events, by record.
std::map<std::string, int> failovers_by_record(const fs::path& dir) {
  std::map<std::string, int> out;
  for (const auto& e : read_events(dir))
    if (e["kind"] == "record_changed" && e["reason"] == "failover") ++out[e["entity"].get<std::string>()];
  return out;
}

TEST(WhatIf, EachGenerationsCustomersFailOverOnlyWhenTheirOwnPopsFail) {
  const auto w = load(whatif_path("cloudflare-2025-11-18-multi-cdn-failover"));
  const auto& variants = service(w, "cloudflare.proxy").variants;
  const auto variant = [&](const std::string& name) {
    return static_cast<int>(std::find(variants.begin(), variants.end(), name) - variants.begin());
  };
  const int fl1 = variant("fl1"), fl2 = variant("fl2");
  for (const auto& r : w.records) {
    if (r.id == "dns.customer-sites-fl1") {
      EXPECT_EQ(r.variant, fl1);
    }
    if (r.id == "dns.customer-sites-fl2") {
      EXPECT_EQ(r.variant, fl2);
    }
  }
  // While a bad file runs, an FL1 customer's check sees all but the
  // bot-score blockers served, above Route 53's 18%; an FL2 customer's sees
  // nothing served.
  const double fl1_served = 1 - fleet_error_rate(w, fl1), fl2_served = 1 - fleet_error_rate(w, fl2);
  ASSERT_GT(fl1_served, 0.18);
  ASSERT_LE(fl2_served, 0.18);

  const Comparison c = compare("cloudflare-2025-11-18", "cloudflare-2025-11-18-multi-cdn-failover");
  const auto failovers = failovers_by_record(c.whatif);
  EXPECT_EQ(failovers.count("dns.customer-sites-fl1"), 0U);
  ASSERT_EQ(failovers.count("dns.customer-sites-fl2"), 1U);
  EXPECT_GE(failovers.at("dns.customer-sites-fl2"), 1);

  // FL1 customers lose what the replay's FL1 traffic lost: their share of
  // the customer traffic times their PoPs' error rate, of the replay's
  // whole-fleet loss (the bad periods are the same).
  const auto& sites = w.sites;
  double fl1_rps = 0, all_rps = 0;
  for (const auto& site : sites) {
    if (site.name == "http-traffic-fl1") fl1_rps = site.rps;
    if (site.name.starts_with("http-traffic-")) all_rps += site.rps;
  }
  const CustomerTraffic base = customer_traffic(c.baseline);
  const CustomerTraffic on_fl1 = customer_traffic(c.whatif, "http-traffic-fl1");
  const CustomerTraffic on_fl2 = customer_traffic(c.whatif, "http-traffic-fl2");
  const auto base_w = load(incident_path("cloudflare-2025-11-18"));
  const double fl1_part = (fl1_rps / all_rps) * (1 - fl1_served) / fleet_error_rate(base_w);
  EXPECT_NEAR(on_fl1.failed_requests / base.failed_requests, fl1_part, 0.02 * fl1_part);
  EXPECT_NEAR(on_fl1.availability_min, fl1_served, 1e-9);
  // FL2 customers fail over within three checks and a TTL of each bad file,
  // which runs for most of a 5-minute generator period: they lose less than
  // half of what the replay's FL2 traffic lost.
  EXPECT_LT(on_fl2.failed_requests, 0.5 * (1 - fl1_part) * base.failed_requests);
  EXPECT_LT(c.b("failed_requests"), c.a("failed_requests"));
}

/// The sample after the last one below `below`: when the series came back for good.
double back_for_good(const std::vector<std::pair<double, double>>& s, double below) {
  for (std::size_t k = s.size(); k-- > 1;)
    if (s[k - 1].second < below && s[k].second >= below) return s[k].first;
  return s.front().second >= below ? s.front().first : std::numeric_limits<double>::infinity();
}

TEST(WhatIf, QueueBoundedDwfmRecoversLaunchesWellBeforeTheThrottle) {
  const auto w = load(whatif_path("aws-2025-10-20-queue-throttle"));
  const auto& dwfm = service(w, "aws.dwfm");
  double capacity = 0;
  for (int i : dwfm.instances) capacity += w.instances[static_cast<std::size_t>(i)].capacity_rps;
  ASSERT_LT(dwfm.queue.max_wait_s, dwfm.queue.timeout_s) << "what enters is served before its timeout";
  double restored = 0, ttl = 0;
  for (const auto& f : w.faults)
    if (f.id == "empty-dynamodb-record") restored = f.at_s + f.duration_s.value_or(0);
  for (const auto& r : w.records)
    if (r.id == "aws.dynamodb-us-east-1") ttl = r.ttl_s;
  ASSERT_GT(restored, 0);
  // Every lease re-established at the capacity left by the launches, once
  // every DWFM host resolves DynamoDB again; twice that as the bound.
  const double work_s = dwfm.queue.lease_units / (capacity - dwfm.offered_rps);
  const double bound = restored + ttl + 2 * work_s;

  const Comparison c = compare("aws-us-east-1-2025-10-20", "aws-2025-10-20-queue-throttle");
  const double whatif_back = back_for_good(read_series(c.whatif, "service", "aws.ec2-launch", "availability"), 0.99);
  const double baseline_back = back_for_good(read_series(c.baseline, "service", "aws.ec2-launch", "availability"), 0.99);
  const double leases_back = back_for_good(read_series(c.whatif, "service", "aws.dwfm", "lease_share"), 0.99);
  EXPECT_GT(whatif_back, restored) << "launches still fail while DynamoDB is unreachable";
  EXPECT_LE(whatif_back, bound);
  EXPECT_LE(leases_back, bound);
  // The replay's launches come back only after the operators' throttle and
  // its relaxation, hours later.
  EXPECT_GT(baseline_back, whatif_back + 4 * 3600);
  EXPECT_LT(c.b("failed_requests"), c.a("failed_requests"));
  EXPECT_GE(c.b("availability_mean"), c.a("availability_mean"));
}

}  // namespace
}  // namespace outagesim
