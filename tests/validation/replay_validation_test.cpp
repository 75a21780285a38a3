// Incident replays against what was published (issue #15). Each replay
// under scenarios/incidents/ runs through the CLI; every observation in
// tests/validation/observations/<incident>.yaml is measured in the run and
// scored by tests/validation/replay_scoring.hpp: its basis is checked (a
// predicted row's ablation must move it out of tolerance), rows on the same
// simulated instant must share a quantity, and the honest tally is the
// code's. docs/validation.md is generated from the same code and the
// validation ensembles (replay_ensemble.hpp) and must be current.
#include "tests/validation/replay_ensemble.hpp"
#include "sim/world/world.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;
using namespace outagesim::validation;

/// The replay as committed, or with `--set` overrides.
class ReplayRun : public RunView {
 public:
  explicit ReplayRun(const std::string& incident, const std::vector<std::string>& overrides = {})
      : RunView(run_replay(incident, overrides)) {}
};

/// Scores every row in the replay as committed; each row passes or misses
/// as its file declares (`miss: true`), and prints its table row.
std::map<std::string, Score> check_observations(const std::string& name, const RunView& run) {
  const Incident incident = load_incident(name);
  std::map<std::string, Score> scores;
  for (const auto& o : incident.observations) {
    const Score s = score(incident, o, run);
    EXPECT_TRUE(s.value.has_value()) << o.id << ": the model has an output for it: " << s.error;
    EXPECT_EQ(s.pass, !o.declared_miss) << o.id << ": simulated " << (s.value ? show(o, *s.value) : s.error)
                                        << ", published " << show_published(o) << ", tolerance "
                                        << show_tolerance(incident, o);
    fmt::print("ROW {} | {} | {} | {} | {} | {}\n", o.id, o.basis, show_published(o),
               s.value ? show(o, *s.value) : "none", show_tolerance(incident, o), s.pass ? "within" : "MISS");
    scores[o.id] = s;
  }
  const Tally t = tally(incident, scores);
  fmt::print("TALLY {}: {} rows, {} quantities, {} predicted, {} predicted within tolerance\n", name,
             t.compared_rows, t.quantities, t.predicted, t.predicted_within);
  return scores;
}

TEST(Replays, ObservationFilesFollowTheRules) {
  for (const auto& name : replays()) {
    Incident incident;
    ASSERT_NO_THROW(incident = load_incident(name)) << name;
    std::map<std::string, std::string> quantity_of_measure;
    std::set<std::string> ids;
    for (const auto& o : incident.observations) {
      EXPECT_TRUE(ids.insert(o.id).second) << o.id << " twice";
      auto [at, fresh] = quantity_of_measure.emplace(o.measure, o.quantity);
      EXPECT_EQ(at->second, o.quantity) << o.id << ": rows with the same measure read the same quantity";
    }
  }
}

TEST(Replays, RowsOnTheSameSimulatedInstantShareAQuantity) {
  // Two rows that read the same instant (a dependency's failure at the
  // moment of its dependency's) are one simulated quantity, whatever
  // measure they use: they must say so, so that they count once.
  for (const auto& name : replays()) {
    const Incident incident = load_incident(name);
    const ReplayRun run(name);
    std::map<double, std::string> quantity_at;
    for (const auto& o : incident.observations) {
      if (o.kind != Kind::time) continue;
      const Score s = score(incident, o, run);
      if (!s.value) continue;
      auto [at, fresh] = quantity_at.emplace(*s.value, o.quantity);
      EXPECT_EQ(at->second, o.quantity) << name << " " << o.id << " reads the same instant (" << hhmm(*s.value)
                                        << ") as quantity " << at->second;
    }
  }
}

TEST(Replays, EveryPredictedRowHasAnAblationThatMovesIt) {
  for (const auto& name : replays()) {
    const Incident incident = load_incident(name);
    const ReplayRun run(name);
    for (const auto& o : incident.observations) {
      if (o.basis != "predicted") continue;
      const AblationResult a = ablate(incident, o, run);
      EXPECT_TRUE(a.is_prediction) << name << " " << o.id << " is not a prediction: with " << o.ablation_what
                                   << " it is still within tolerance ("
                                   << (a.ablated.value ? show(o, *a.ablated.value) : a.ablated.error) << ")";
    }
  }
}

TEST(Replays, TolerancesCountFromTheNearestInputOrScriptedEvent) {
  // 12:28 falls after the 11:14 throttle and on the injected failure of
  // the fresh NLB targets: 10 minutes, not the 34 of its distance from the
  // 06:48 trigger.
  const Incident aws = load_incident("aws-us-east-1-2025-10-20");
  for (const auto& o : aws.observations) {
    if (o.id == "leases_all_held") {
      EXPECT_GE(nearest_anchor(aws, o.published).epoch_s, utc("2025-10-20T11:14:00Z"));
      EXPECT_DOUBLE_EQ(tolerance(aws, o), ten_minutes_s);
    }
    if (o.id == "dynamodb_recovers") {
      EXPECT_EQ(nearest_anchor(aws, o.published).epoch_s, utc("2025-10-20T09:25:00Z"));
    }
  }
  // A row 23 minutes after the trigger with nothing scripted in between
  // keeps the trigger as its anchor.
  const Incident cf = load_incident("cloudflare-2025-11-18");
  for (const auto& o : cf.observations)
    if (o.id == "first_customer_errors") {
      EXPECT_EQ(nearest_anchor(cf, o.published).epoch_s, cf.trigger);
    }
}

TEST(Replays, TheTallyCountsQuantitiesOnce) {
  Incident incident;
  incident.trigger = 0;
  auto row = [](std::string id, std::string quantity, std::string basis) {
    Observation o;
    o.id = std::move(id);
    o.quantity = std::move(quantity);
    o.basis = std::move(basis);
    return o;
  };
  incident.observations = {row("a", "q1", "predicted"), row("b", "q1", "predicted"), row("c", "q2", "scripted"),
                           row("d", "q3", "predicted"), row("e", "q2", "scripted")};
  std::map<std::string, Score> scores;
  for (const char* id : {"a", "b", "c", "d", "e"}) scores[id].pass = true;
  scores["b"].pass = false;  // one predicted row of q1 misses: q1 is not within tolerance
  const Tally t = tally(incident, scores);
  EXPECT_EQ(t.compared_rows, 5);
  EXPECT_EQ(t.quantities, 3);
  EXPECT_EQ(t.predicted, 2);
  EXPECT_EQ(t.predicted_within, 1);
}

TEST(ValidationDoc, IsCurrent) {
  // Runs every replay, its ablations and its 30-run ensemble (about a
  // minute and a half on 2 cores) and renders docs/validation.md.
  std::vector<ReplayValidation> all;
  const fs::path work = fresh_dir("validation-ensembles");
  for (const auto& name : replays()) all.push_back(validate_replay(name, work));
  const std::string generated = render_validation_doc(all);
  const fs::path committed = source_dir() / "docs" / "validation.md";
  if (slurp(committed) != generated) {
    const fs::path fresh = work / "validation.md";
    std::ofstream(fresh) << generated;
    ADD_FAILURE() << "docs/validation.md is not current: run scripts/validate-replays.sh (this run's version: "
                  << fresh.string() << ")";
  }
}

TEST(Cloudflare20251205, EveryObservationIsScoredAsDeclared) {
  const ReplayRun run("cloudflare-2025-12-05");
  check_observations("cloudflare-2025-12-05", run);
}

TEST(Cloudflare20251205, OnlyFl1ManagedRulesetTrafficFails) {
  // The 28% is the product of two shares: every fl1 PoP fails its
  // managed-ruleset share, every fl2 PoP keeps serving.
  const auto path = fmt::format("{}/scenarios/incidents/cloudflare-2025-12-05.yaml", OUTAGESIM_SOURCE_DIR);
  const world::World w = world::build(scenario::load(path));
  std::map<std::string, std::string> variant_of;
  double segment_share = 0;
  for (const auto& service : w.services) {
    if (service.id != "cloudflare.proxy") continue;
    for (const auto& segment : service.segments)
      if (segment.name == "managed-ruleset") segment_share = segment.share;
    for (int i : service.instances) {
      const auto& instance = w.instances[static_cast<std::size_t>(i)];
      variant_of[instance.id] = service.variants[static_cast<std::size_t>(instance.variant)];
    }
  }
  ASSERT_GT(segment_share, 0);
  const ReplayRun run("cloudflare-2025-12-05");
  std::map<std::string, int> failing;
  for (const auto& e : run.events()) {
    if (e["kind"] != "config_applied" || e["error_rate"].get<double>() == 0) continue;
    const auto variant = variant_of.at(e["entity"].get<std::string>());
    ++failing[variant];
    EXPECT_DOUBLE_EQ(e["error_rate"].get<double>(), segment_share) << e["entity"];
  }
  int fl1 = 0;
  for (const auto& [id, variant] : variant_of) fl1 += variant == "fl1" ? 1 : 0;
  EXPECT_EQ(failing["fl2"], 0);
  EXPECT_EQ(failing["fl1"], fl1) << "every fl1 PoP applies the killswitch and fails its segment";
}

TEST(Cloudflare20251118, EveryObservationIsScoredAsDeclared) {
  const ReplayRun run("cloudflare-2025-11-18");
  check_observations("cloudflare-2025-11-18", run);
}

TEST(Cloudflare20251118, TheFlappingComesFromTheGeneratorAlone) {
  // Between the permissions change and the known-good push, every change of
  // the feature file is the generator's: bad files caused by the permissions
  // fault, good ones by the generator itself. No scripted event shapes it.
  const ReplayRun run("cloudflare-2025-11-18");
  int bad = 0, good = 0;
  for (const auto& e : run.events()) {
    if (e["kind"] != "config_published" || e["entity"] != "cloudflare.bot-features") continue;
    const auto cause = e["cause"].get<std::string>();
    if (cause.starts_with("operator:")) break;  // the known-good push ends the generator's part
    if (e["bad"].get<bool>()) {
      EXPECT_EQ(cause, "fault:clickhouse-grants");
      ++bad;
    } else {
      EXPECT_EQ(cause, "generator:cloudflare.bot-features");
      ++good;
    }
  }
  const double recoveries = run.measure("recoveries_before_settling cloudflare.proxy");
  EXPECT_EQ(good, static_cast<int>(recoveries)) << "each recovery of the proxy is one good file";
  EXPECT_EQ(bad, good + 1) << "it ends on a bad file: settled in the failed state";
}

TEST(Cloudflare20251118, TheBypassRestoresWorkersKvButNotTheLoginPath) {
  const ReplayRun run("cloudflare-2025-11-18");
  const double bypass = utc("2025-11-18T13:05:00Z") - run.start_epoch_s();
  const double known_good = utc("2025-11-18T14:24:00Z") - run.start_epoch_s();
  const auto kv = run.series("service", "cloudflare.workers_kv");
  const auto login = run.series("service", "cloudflare.dashboard_login");
  const auto proxy = run.series("service", "cloudflare.proxy");
  int checked = 0;
  for (std::size_t k = 0; k < kv.size(); ++k) {
    if (kv[k].first < bypass || kv[k].first >= known_good) continue;
    EXPECT_DOUBLE_EQ(kv[k].second, 1.0) << kv[k].first;
    EXPECT_LT(login[k].second, failed_below) << "Turnstile still runs on the failing proxy";
    EXPECT_LT(proxy[k].second, failed_below);
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(Cloudflare20251118, TheSecondDashboardDipIsTheLoginBacklog) {
  // With the replay's returning users, the dashboard fails again once
  // Turnstile is back (14:24) and until the 15:30 scaling; without them
  // (every user whose login failed gives up) it never fails after 14:24.
  const double known_good = utc("2025-11-18T14:24:00Z");
  const double scaled = utc("2025-11-18T15:30:00Z");
  const ReplayRun with("cloudflare-2025-11-18");
  const auto dip = between(with.series("service", "cloudflare.dashboard"), known_good - with.start_epoch_s(), 1e9);
  ASSERT_GT(dip.size(), 100U);
  const auto failed = std::count_if(dip.begin(), dip.end(), [](double a) { return a < failed_below; });
  // Every sample from a few minutes after Turnstile's return to the scaling fails.
  EXPECT_GE(failed, static_cast<long>((scaled - known_good - 300) / 30));
  EXPECT_GE(dip.back(), failed_below) << "the scaling ends it";
  // Nothing else changed: the overload is the backlog's.
  bool overloaded = false;
  for (const auto& e : with.events())
    if (e["kind"] == "service_overload" && e["entity"] == "cloudflare.dashboard" && e["overloaded"].get<bool>() &&
        e["t"].get<double>() >= known_good - with.start_epoch_s())
      overloaded = true;
  EXPECT_TRUE(overloaded);

  const ReplayRun without("cloudflare-2025-11-18", {"params.login_return_share=0%"});
  for (double a : between(without.series("service", "cloudflare.dashboard"), known_good - without.start_epoch_s(), 1e9))
    EXPECT_GE(a, failed_below) << "no returning users, no second dip";
  // The first dip and its end at the bypass do not depend on them.
  EXPECT_EQ(without.measure("last_recovery_of_service_before cloudflare.dashboard 2025-11-18T14:24:00Z"),
            with.measure("last_recovery_of_service_before cloudflare.dashboard 2025-11-18T14:24:00Z"));
}

TEST(Aws20251020, EveryObservationIsScoredAsDeclared) {
  const ReplayRun run("aws-us-east-1-2025-10-20");
  check_observations("aws-us-east-1-2025-10-20", run);
}

TEST(Aws20251020, LaunchesStayImpairedLongAfterDynamoDbRecoveredUntilTheThrottle) {
  const ReplayRun run("aws-us-east-1-2025-10-20");
  const double dynamodb_back = utc("2025-10-20T09:40:00Z") - run.start_epoch_s();
  const double throttle = utc("2025-10-20T11:14:00Z") - run.start_epoch_s();
  // DynamoDB is reachable again for everyone from 09:40 (the record's TTL
  // after the 09:25 fix), and existing instances never failed.
  for (double a : between(run.series("site", "dynamodb-apps"), dynamodb_back, throttle)) EXPECT_GE(a, failed_below);
  for (double a : between(run.series("site", "ec2-web-apps"), 0, 1e9)) EXPECT_DOUBLE_EQ(a, 1.0);
  // Yet DWFM stays in congestive collapse: it regains no lease and launches
  // keep failing for the 94 minutes up to the operators' action.
  const auto launches = between(run.series("service", "aws.ec2-launch"), dynamodb_back, throttle);
  const auto leases = between(run.series("service", "aws.dwfm", "lease_share"), dynamodb_back, throttle);
  ASSERT_GT(launches.size(), 90U);
  for (double a : launches) EXPECT_LT(a, 0.05);
  const auto [fewest, most] = std::minmax_element(leases.begin(), leases.end());
  EXPECT_LT(*most, 0.5);
  EXPECT_LT(*most - *fewest, 0.01) << "no progress on the leases while collapsed";
  const auto wait = between(run.series("service", "aws.dwfm", "queue_wait_s"), dynamodb_back, throttle);
  const double timeout = 60;  // the replay's dwfm_timeout
  for (double w : wait) EXPECT_GT(w, timeout) << "every attempt waits past its timeout";
  // Only after the throttle and restarts do the leases come back.
  EXPECT_GT(run.measure("leases_held_again aws.dwfm"), throttle);
  bool overloaded_before = false;
  for (const auto& e : run.events())
    if (e["kind"] == "service_overload" && e["entity"] == "aws.dwfm" && e["overloaded"].get<bool>() &&
        e["t"].get<double>() < dynamodb_back)
      overloaded_before = true;
  EXPECT_TRUE(overloaded_before) << "the collapse starts with the re-establishment at 09:25";
}

TEST(Aws20251020, WithoutTheThrottleTheRestartsAloneDoNotEndTheCollapse) {
  // The same replay with the throttle admitting everything: the restarts
  // still drop DWFM's queue at 11:14, but the lease re-sends refill it.
  const ReplayRun run("aws-us-east-1-2025-10-20", {"params.throttle_admit=100%"});
  const double throttle = utc("2025-10-20T11:14:00Z") - run.start_epoch_s();
  const auto launches = run.series("service", "aws.ec2-launch");
  const auto after = between(launches, throttle + 1800, 1e9);
  ASSERT_GT(after.size(), 100U);
  for (double a : after) EXPECT_LT(a, failed_below);
  EXPECT_LT(launches.back().second, 0.05) << "still impaired at the end of the run";
  for (double l : between(run.series("service", "aws.dwfm", "lease_share"), throttle, 1e9)) EXPECT_LT(l, 0.5);
}

TEST(Aws20251020, TheNlbWithdrawsZonesUntilItsFailoverIsDisabledAndIsWholeFromThen) {
  // From the scenario: the injected fault fails no NLB request, only the
  // health checks of one variant's targets (AWS's account: the checks
  // failed while the targets were healthy); those targets, and the capacity
  // of the others beside the NLB's load.
  const auto path = fmt::format("{}/scenarios/incidents/aws-us-east-1-2025-10-20.yaml", OUTAGESIM_SOURCE_DIR);
  const world::World w = world::build(scenario::load(path));
  std::map<std::string, double> capacity;  // by NLB instance id
  std::set<std::string> fresh;
  double offered = 0, settled_capacity = 0;
  for (const auto& service : w.services) {
    if (service.id != "aws.nlb") continue;
    for (const auto& f : w.faults) {
      if (f.id != "unpropagated-network-state") continue;
      for (double rate : f.error_rate_by_variant) ASSERT_EQ(rate, 0.0) << "no request of the NLB fails";
      ASSERT_EQ(f.config_effects.size(), 1u);
      ASSERT_GT(f.config_effects[0].health_check_error_rate, 0.0);
      ASSERT_EQ(f.config_effects[0].error_rate, 0.0);
      for (int i : service.instances) {
        const auto& instance = w.instances[static_cast<std::size_t>(i)];
        capacity[instance.id] = instance.capacity_rps;
        if (instance.variant == f.config_effects[0].variant) fresh.insert(instance.id);
        else settled_capacity += instance.capacity_rps;
      }
    }
  }
  for (const auto& site : w.sites)
    if (site.name == "nlb-apps") offered = site.rps;
  ASSERT_EQ(capacity.size(), 10u);
  ASSERT_FALSE(fresh.empty());
  ASSERT_GT(offered, 0);
  ASSERT_LE(offered, settled_capacity) << "the settled targets alone carry the load";

  const ReplayRun run("aws-us-east-1-2025-10-20");
  const double broken = utc("2025-10-20T12:28:00Z") - run.start_epoch_s();
  const double disabled = utc("2025-10-20T16:36:00Z") - run.start_epoch_s();
  const double propagated = utc("2025-10-20T17:36:00Z") - run.start_epoch_s();
  int withdrawn_before = 0, withdrawn_after = 0, restored_at_the_action = 0, applied = 0;
  for (const auto& e : run.events()) {
    if (e["kind"] == "config_applied" && fresh.count(e["entity"].get<std::string>())) {
      EXPECT_EQ(e["error_rate"].get<double>(), 0.0) << "the fresh targets serve every request: " << e.dump();
      ++applied;
    }
    if (e["kind"] != "load_balancer_changed" || e["entity"] != "aws.nlb") continue;
    const double t = e["t"].get<double>();
    if (e["reason"] == "zone_restored" && t == disabled) ++restored_at_the_action;
    if (e["reason"] == "target_unhealthy") {
      EXPECT_TRUE(fresh.count(e["target"].get<std::string>())) << "only the fresh targets fail their checks";
    }
    if (e["reason"] != "zone_withdrawn") continue;
    EXPECT_GE(t, broken) << "no zone is withdrawn before the fresh targets fail";
    (t < disabled ? withdrawn_before : withdrawn_after) += 1;
  }
  EXPECT_GE(applied, static_cast<int>(fresh.size()));
  EXPECT_GE(withdrawn_before, 1) << "the health checks remove a zone's capacity";
  EXPECT_EQ(restored_at_the_action, 1) << "disabling the zone failover returns the withdrawn zone at once";
  EXPECT_EQ(withdrawn_after, 0);

  // Which fresh targets are out of service when, from their events.
  std::map<std::string, std::vector<std::pair<double, double>>> out;
  for (const auto& e : run.events()) {
    if (e["kind"] != "instance_changed") continue;
    const std::string id = e["entity"].get<std::string>();
    if (!fresh.count(id)) continue;
    if (e["up"] == false) out[id].emplace_back(e["t"].get<double>(), 1e18);
    else if (!out[id].empty()) out[id].back().second = e["t"].get<double>();
  }

  // While a zone is out the NLB loses requests. Once the zone failover is
  // disabled the target checks still decide and the fresh targets still
  // flap in and out until the network state has propagated, but since
  // they fail no request and the settled targets carry the load, the NLB
  // serves every request at every sample from the action on.
  const auto nlb = run.series("service", "aws.nlb");
  const auto before = between(nlb, broken, disabled);
  EXPECT_LT(*std::min_element(before.begin(), before.end()), 1 - 0.05);
  int samples = 0, with_a_fresh_target_out = 0, with_a_fresh_target_in = 0;
  for (const auto& [t, a] : nlb) {
    if (t <= disabled) continue;
    EXPECT_DOUBLE_EQ(a, 1.0) << t;
    if (t >= propagated) continue;
    int fresh_out = 0;
    for (const auto& [id, spans] : out) {
      bool is_out = false;
      for (const auto& [from, to] : spans) is_out = is_out || (t >= from && t < to);
      fresh_out += is_out ? 1 : 0;
    }
    with_a_fresh_target_out += fresh_out > 0 ? 1 : 0;
    with_a_fresh_target_in += fresh_out < static_cast<int>(fresh.size()) ? 1 : 0;
    ++samples;
  }
  EXPECT_GT(samples, 50);
  EXPECT_GT(with_a_fresh_target_out, 0) << "the checks still take the fresh targets out now and then";
  EXPECT_GT(with_a_fresh_target_in, 0) << "and they pass and are back in at other samples";
}

TEST(Replays, SameSeedGivesByteIdenticalOutputs) {
  for (const std::string incident : {"cloudflare-2025-11-18", "cloudflare-2025-12-05", "aws-us-east-1-2025-10-20"}) {
    const ReplayRun a(incident);
    const fs::path first = fresh_dir("replay-copy-" + incident);
    for (const char* f : {"summary.json", "timeseries.csv", "events.jsonl"}) fs::copy_file(a.dir() / f, first / f);
    const ReplayRun b(incident);
    for (const char* f : {"summary.json", "timeseries.csv", "events.jsonl"})
      EXPECT_EQ(slurp(first / f), slurp(b.dir() / f)) << incident << " " << f;
  }
}


// The published curves (tests/validation/observations/<incident>.series.yaml,
// docs/published-series.md): each names a series the replay has, and the
// shape score can fail: the replay's own series shifted in time or
// flattened scores worse than the replay.
struct SimulatedCurve {
  std::vector<double> t, values;
};

SimulatedCurve simulated_curve(const RunView& run, const scenario::PublishedSeries& s) {
  SimulatedCurve c;
  for (const auto& [t, v] : run.series(s.scope, s.entity, s.metric)) {
    c.t.push_back(t);
    c.values.push_back(v);
  }
  return c;
}

/// `values` later by `by_s` (the first value held before).
std::vector<double> shifted(const SimulatedCurve& c, double by_s) {
  std::vector<double> out;
  for (double t : c.t) {
    std::size_t k = 0;
    while (k + 1 < c.t.size() && c.t[k + 1] <= t - by_s) ++k;
    out.push_back(c.values[k]);
  }
  return out;
}

/// Every value replaced by the mean of the run: no step, no flapping.
std::vector<double> flattened(const SimulatedCurve& c) {
  double sum = 0;
  for (double v : c.values) sum += v;
  return std::vector<double>(c.values.size(), sum / static_cast<double>(c.values.size()));
}

/// The failing stretch kept, its flapping removed: failing at its mean level
/// from the first onset to the last recovery.
std::vector<double> without_flapping(const SimulatedCurve& c, const scenario::PublishedSeries& s) {
  const auto e = metrics::failing_episodes(s, c.t, c.values);
  std::vector<double> out = c.values;
  if (e.onsets.empty() || e.recoveries.empty()) return out;
  double sum = 0;
  int n = 0;
  for (std::size_t k = 0; k < c.t.size(); ++k)
    if (c.t[k] >= e.onsets.front() && c.t[k] < e.recoveries.back() && s.failing(s.compared_value(c.values[k]))) {
      sum += c.values[k];
      ++n;
    }
  for (std::size_t k = 0; k < c.t.size(); ++k)
    if (c.t[k] >= e.onsets.front() && c.t[k] < e.recoveries.back()) out[k] = sum / n;
  return out;
}

TEST(PublishedCurves, EveryReplayHasCurvesOnSeriesItProduces) {
  for (const auto& name : replays()) {
    const auto curves = scenario::load_published_series(curves_file(name).string());
    EXPECT_EQ(curves.incident, name);
    const RunView run = run_replay(name);
    int compared = 0;
    for (const auto& s : curves.series) {
      if (!s.compared()) continue;
      ++compared;
      EXPECT_NO_THROW(simulated_curve(run, s)) << name << " " << s.id;
    }
    EXPECT_GT(compared, 0) << name;
    for (const auto& [id, score] : score_curves(curves, run)) {
      fmt::print("CURVE {} {}: shape {} of {}, points {} of {}\n", name, id, score.features_within(),
                 score.features.size(), score.points_within(), score.points.size());
      for (const auto& f : score.features)
        fmt::print("  {} | published {} | simulated {} | {}\n", f.name, f.published, f.simulated, f.pass ? "within" : "MISS");
    }
  }
}

TEST(PublishedCurves, AShiftedOrFlattenedReplayScoresWorse) {
  for (const std::string name : {"cloudflare-2025-11-18", "cloudflare-2025-12-05"}) {
    const auto curves = scenario::load_published_series(curves_file(name).string());
    const RunView run = run_replay(name);
    const auto& s = curves.series.front();  // the error share
    const SimulatedCurve c = simulated_curve(run, s);
    const auto nominal = metrics::score_series(s, run.start_epoch_s(), c.t, c.values);
    const auto late = metrics::score_series(s, run.start_epoch_s(), c.t, shifted(c, 30 * 60));
    const auto flat = metrics::score_series(s, run.start_epoch_s(), c.t, flattened(c));
    EXPECT_LT(late.features_within(), nominal.features_within()) << name << ": 30 minutes late";
    EXPECT_LT(late.points_within(), nominal.points_within()) << name;
    EXPECT_LT(flat.features_within(), nominal.features_within()) << name << ": flattened";
    EXPECT_FALSE(late.features.front().pass) << name << ": the onset misses when shifted";
  }
  // 2025-11-18's flapping removed (failing throughout at its mean level):
  // the recoveries and the cycle miss, the onset does not.
  const auto curves = scenario::load_published_series(curves_file("cloudflare-2025-11-18").string());
  const RunView run = run_replay("cloudflare-2025-11-18");
  const auto& s = curves.series.front();
  const SimulatedCurve c = simulated_curve(run, s);
  const auto nominal = metrics::score_series(s, run.start_epoch_s(), c.t, c.values);
  const auto steady = metrics::score_series(s, run.start_epoch_s(), c.t, without_flapping(c, s));
  ASSERT_EQ(nominal.features[1].name, "recoveries before settling");
  EXPECT_TRUE(nominal.features[1].pass && nominal.features[2].pass) << "the replay flaps on the 5-minute cycle";
  EXPECT_FALSE(steady.features[1].pass) << steady.features[1].simulated;
  EXPECT_FALSE(steady.features[2].pass) << steady.features[2].simulated;
  EXPECT_TRUE(steady.features[0].pass);
  EXPECT_LT(steady.features_within(), nominal.features_within());
}

}  // namespace
}  // namespace outagesim
