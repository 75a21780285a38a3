// The traffic examples (metastability, restart herds, demand over the day),
// run through the CLI. What each must show follows from its own numbers,
// computed here from the loaded scenario; nothing is copied from a run.
#include "example_run.hpp"
#include "models/diurnal_demand.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// Times of the service_overload events of `service`, with their direction.
std::vector<std::pair<double, bool>> overloads(const std::vector<nlohmann::json>& events, const std::string& service) {
  std::vector<std::pair<double, bool>> out;
  for (const auto& e : events)
    if (e["kind"] == "service_overload" && e["entity"] == service) out.emplace_back(e["t"], e["overloaded"]);
  return out;
}

using Example = ExampleRun;

Example run(const std::string& name) { return run_loaded_example(name); }

double action_at(const world::World& w, std::size_t index) { return *w.actions.at(index).at_s; }

TEST(MetastableExamples, TheRetryStormOutlivesItsTriggerUntilLoadIsShed) {
  const Example e = run("metastable-retry-storm");
  const auto& fault = e.world.faults.at(0);
  const double back = fault.at_s + *fault.duration_s;
  const double shed = action_at(e.world, 0);
  const double full = action_at(e.world, 2);
  const Series global = read_series(e.dir, "global", "", "availability");

  // The drop leaves capacity below the first attempts alone.
  const auto& api = e.world.services.at(0);
  ASSERT_LT(10 * 10e3 * std::get<scenario::faults::CapacityLoss>(fault.kind).capacity_factor, api.offered_rps);
  // Long after the capacity came back, almost nothing succeeds...
  EXPECT_LT(max_of(between(global, back + 60, shed)), 0.01);
  // ...because retries hold the offered load above capacity: up to 1 + 3 retries.
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  const double retries = 3;
  EXPECT_GT(min_of(between(offered, back + 60, shed)), 100e3);
  EXPECT_GT(max_of(between(offered, back + 60, shed)), 0.9 * (1 + retries) * api.offered_rps);
  // The overload starts during the drop and ends only with the shedding.
  const auto o = overloads(e.events, "shop.api");
  ASSERT_EQ(o.size(), 2U);
  EXPECT_TRUE(o[0].second);
  EXPECT_GE(o[0].first, fault.at_s);
  EXPECT_LT(o[0].first, back);
  EXPECT_FALSE(o[1].second);
  EXPECT_DOUBLE_EQ(o[1].first, shed);
  // Once everything is admitted again, the API stays healthy.
  EXPECT_GT(min_of(between(global, full, e.world.duration_s)), 0.9999);
  const auto summary = read_json(e.dir / "summary.json")["metrics"];
  EXPECT_DOUBLE_EQ(summary["impact_end"].get<double>(), full);
  // The fault itself recovered when its capacity came back, twenty minutes
  // before the impact ended; the whole failure is still charged to it.
  const auto& drop = summary["faults"]["capacity-drop"];
  EXPECT_DOUBLE_EQ(drop["recovered_at"].get<double>(), back);
  // The shedding relieved the overload the drop set off: it mitigated the
  // fault, after its recovery (docs/outputs.md).
  EXPECT_DOUBLE_EQ(drop["mitigated_at"].get<double>(), shed);
  EXPECT_DOUBLE_EQ(drop["failed_requests"].get<double>(), summary["failed_requests"].get<double>());
}

TEST(MetastableExamples, ASlightlySmallerDropRecoversOnItsOwn) {
  const Example e = run("metastable-recovers");
  const auto& fault = e.world.faults.at(0);
  const double back = fault.at_s + *fault.duration_s;
  EXPECT_TRUE(e.world.actions.empty()) << "it recovers with no operator";
  const Series global = read_series(e.dir, "global", "", "availability");
  EXPECT_GT(min_of(between(global, 0, e.world.duration_s + 1)), 0.999);
  // The queue grew by (first attempts - capacity left) for the drop, then drains.
  const Series wait = read_series(e.dir, "service", "shop.api", "queue_wait_s");
  const double capacity_factor = std::get<scenario::faults::CapacityLoss>(fault.kind).capacity_factor;
  const double grown = (e.world.services[0].offered_rps - 100e3 * capacity_factor) * *fault.duration_s;
  EXPECT_GT(max_of(between(wait, fault.at_s, back + 1)), 0.5 * grown / 100e3);
  EXPECT_DOUBLE_EQ(max_of(between(wait, back + 60, e.world.duration_s)), 0.0);
  EXPECT_TRUE(overloads(e.events, "shop.api").empty());
}

/// One run of the trigger-boundary sweep: the trigger's capacity left and
/// length, and whether the failure outlived it.
struct TriggerRun {
  double capacity_left = 0;
  double duration_s = 0;
  double availability_after = 0;
};

std::vector<TriggerRun> run_trigger_boundary_sweep() {
  std::string spec = slurp(fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios" / "sweeps" / "metastable-trigger-boundary.yaml");
  spec = std::regex_replace(spec, std::regex("base: \\.\\./"), fmt::format("base: {}/scenarios/", OUTAGESIM_SOURCE_DIR));
  const fs::path dir = fresh_dir("trigger-boundary");
  fs::create_directories(dir);
  {
    std::ofstream(dir / "spec.yaml") << spec;
  }
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 2", (dir / "spec.yaml").string(), (dir / "out").string()));
  if (o.exit_code != 0) throw std::runtime_error("sweep failed: " + o.err);
  std::vector<TriggerRun> runs;
  std::istringstream rows(slurp(dir / "out" / "results.csv"));
  std::string line;
  std::getline(rows, line);  // id,point,replication,seed,capacity_factor,duration,status,availability_after,...
  while (std::getline(rows, line)) {
    std::vector<std::string> cells;
    std::istringstream cell(line);
    for (std::string c; std::getline(cell, c, ',');) cells.push_back(c);
    if (cells.at(6) != "ok") throw std::runtime_error("a run failed: " + line);
    runs.push_back({std::stod(cells.at(4)) / 100, std::stod(cells.at(5)), std::stod(cells.at(7))});
  }
  return runs;
}

/// The table docs/models/traffic.md shows, built from the sweep's results.
std::string trigger_boundary_table(const std::vector<TriggerRun>& runs, double first_attempts, double capacity,
                                   double timeout_s) {
  std::map<double, std::pair<double, double>, std::greater<>> by_depth;  // longest recovered, shortest tipped
  for (const auto& r : runs) {
    auto& [recovered, tipped] = by_depth.try_emplace(r.capacity_left, 0.0, std::numeric_limits<double>::infinity()).first->second;
    if (r.availability_after > 0.5) recovered = std::max(recovered, r.duration_s);
    else tipped = std::min(tipped, r.duration_s);
  }
  std::string table =
      "| capacity left | first attempts beyond it | mean wait reaches the timeout after | longest trigger recovered | "
      "shortest trigger tipped |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& [depth, boundary] : by_depth) {
    const double excess = first_attempts - depth * capacity;
    const std::string recovered = boundary.first > 0 ? fmt::format("{:g} s", boundary.first) : "none";
    table += fmt::format("| {:g}% | {:g}k rps | {:.0f} s | {} | {:g} s |\n", depth * 100, excess / 1e3,
                         timeout_s * capacity / excess, recovered, boundary.second);
  }
  return table;
}

TEST(MetastableExamples, ATriggerTipsTheStormOnlyWhenBothDeepAndLongEnough) {
  const auto scenario = scenario::load(example("metastable-retry-storm"));
  const auto w = world::build(scenario);
  const double first_attempts = w.services.at(0).offered_rps;
  double capacity = 0;
  for (int i : w.services.at(0).instances) capacity += w.instances[static_cast<std::size_t>(i)].capacity_rps;
  const double timeout = w.services.at(0).queue.timeout_s;
  const auto runs = run_trigger_boundary_sweep();
  ASSERT_EQ(runs.size(), 45U);
  const auto tipped = [](const TriggerRun& r) { return r.availability_after < 0.5; };
  for (const auto& r : runs) {
    // Bistable: the system is either back to serving everything or failing nearly everything.
    EXPECT_TRUE(r.availability_after > 0.99 || r.availability_after < 0.01) << r.capacity_left << " " << r.duration_s;
    // A trigger that leaves the mean wait at or past the timeout
    // ((first attempts - capacity left) x length >= timeout x capacity)
    // leaves most waits past it: the retries then exceed the headroom.
    if ((first_attempts - r.capacity_left * capacity) * r.duration_s >= timeout * capacity) {
      EXPECT_TRUE(tipped(r)) << r.capacity_left << " " << r.duration_s;
    }
    // Monotone: a deeper or longer trigger never tips less.
    for (const auto& o : runs) {
      if (tipped(r) && o.capacity_left <= r.capacity_left && o.duration_s >= r.duration_s) {
        EXPECT_TRUE(tipped(o)) << o.capacity_left << " " << o.duration_s << " after " << r.capacity_left << " "
                               << r.duration_s;
      }
    }
  }
  // The boundary docs/models/traffic.md gives is this sweep's.
  const std::string doc = slurp(fs::path(OUTAGESIM_SOURCE_DIR) / "docs" / "models" / "traffic.md");
  const std::string table = trigger_boundary_table(runs, first_attempts, capacity, timeout);
  EXPECT_NE(doc.find(table), std::string::npos) << "paste into docs/models/traffic.md:\n" << table;
}

/// P(wait <= x) for the queue model's Erlang wait of shape 4 and mean `mean`.
double erlang4_cdf(double mean, double x) {
  const double y = 4 * x / mean;
  return 1 - std::exp(-y) * (1 + y + y * y / 2 + y * y * y / 6);
}

TEST(MetastableExamples, BoundedClientsPinTheWaitsNearTheTimeout) {
  const Example e = run("metastable-bounded-clients");
  const auto& fault = e.world.faults.at(0);
  const double back = fault.at_s + *fault.duration_s;
  const double shed = action_at(e.world, 0);
  const double full = action_at(e.world, 2);
  const auto& api = e.world.services.at(0);
  const double pools = api.queue.client_concurrency, timeout = api.queue.timeout_s;
  const double capacity = 10 * 10e3;
  const double left = capacity * std::get<scenario::faults::CapacityLoss>(fault.kind).capacity_factor;
  const Series wait = read_series(e.dir, "service", "shop.api", "queue_wait_s");
  // During the drop the pools let through N / T, a little above what is left:
  // the queue grows from a wait of T by at most the difference.
  ASSERT_GT(pools / timeout, left);
  const double grown = timeout + (pools / timeout - left) * *fault.duration_s / left;
  EXPECT_LE(max_of(between(wait, 0, e.world.duration_s + 1)), grown + 1);
  EXPECT_LT(max_of(between(wait, 0, e.world.duration_s + 1)), api.queue.max_wait_s / 2);
  // Once the capacity is back, Little's law: the queue holds N, waits N / capacity.
  ASSERT_LT(pools / timeout, capacity);
  const double pinned = pools / capacity;
  for (double w : between(wait, back + 120, shed)) EXPECT_NEAR(w, pinned, 0.02 * pinned);
  // The service works at its capacity: goodput is the share answered in
  // time, and the users served are the goodput (the queue holds steady).
  const Series goodput = read_series(e.dir, "service", "shop.api", "goodput_rps");
  const Series global = read_series(e.dir, "global", "", "availability");
  const double useful = capacity * erlang4_cdf(pinned, timeout);
  for (double g : between(goodput, back + 120, shed)) EXPECT_NEAR(g, useful, 0.01 * useful);
  for (double a : between(global, back + 120, shed)) EXPECT_NEAR(a, useful / api.offered_rps, 0.01);
  // Still overloaded (the retries hold the load above capacity) until the shedding.
  const auto o = overloads(e.events, "shop.api");
  ASSERT_GE(o.size(), 2U);
  EXPECT_TRUE(o[0].second);
  EXPECT_DOUBLE_EQ(o[1].first, shed);
  EXPECT_GT(min_of(between(global, full, e.world.duration_s)), 0.9999);
}

/// The numbers every demand example shares with metastable-retry-storm:
/// first attempts, capacity, the queue's room and the clients' retries.
struct Storm {
  double first_rps, capacity_rps, room, retries, timeout_s, backoff_max_s;
  explicit Storm(const world::World& w) {
    const auto& api = w.services.at(0);
    first_rps = api.offered_rps;
    capacity_rps = 10 * 10e3;
    room = capacity_rps * api.queue.max_wait_s;
    retries = api.queue.retry.max_retries;
    timeout_s = api.queue.timeout_s;
    backoff_max_s = api.queue.retry.backoff_max_s;
  }
  /// Seconds for a full queue to drain when the clients send at most `sent`.
  [[nodiscard]] double drain_s(double sent) const { return room / (capacity_rps - sent); }
};

/// The clients_changed events of `service`.
std::vector<nlohmann::json> clients_changed(const std::vector<nlohmann::json>& events, const std::string& service) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e["kind"] == "clients_changed" && e["entity"] == service) out.push_back(e);
  return out;
}

TEST(DemandExamples, ARetryBudgetEndsTheStormWithoutShedding) {
  const Example e = run("demand-retry-budget");
  const Storm storm(e.world);
  const double change = action_at(e.world, 0);
  const double budget = 0.1;
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  const Series global = read_series(e.dir, "global", "", "availability");
  // Metastable before the change: the retries hold the load far above capacity.
  EXPECT_GT(min_of(between(offered, change - 300, change)), storm.capacity_rps);
  EXPECT_LT(max_of(between(global, change - 300, change)), 0.01);
  // From the change on, the budget caps the retries at a tenth of the first attempts at once.
  const double most = storm.first_rps * (1 + budget);
  ASSERT_LT(most, storm.capacity_rps);
  EXPECT_LE(max_of(between(offered, change, e.world.duration_s + 1)), most * (1 + 1e-9));
  // The full queue drains at capacity minus that, at least; then the API is healthy.
  const double healthy = change + storm.drain_s(most) + storm.timeout_s + 10;
  EXPECT_GT(min_of(between(global, healthy, e.world.duration_s + 1)), 0.9999);
  const auto o = overloads(e.events, "shop.api");
  ASSERT_FALSE(o.empty());
  EXPECT_FALSE(o.back().second);
  EXPECT_GT(o.back().first, change);
  EXPECT_LE(o.back().first, healthy);
  const auto changed = clients_changed(e.events, "shop.api");
  ASSERT_EQ(changed.size(), 1U);
  EXPECT_EQ(changed[0]["max_retries"], storm.retries) << "the fields not given are kept";
  EXPECT_DOUBLE_EQ(changed[0]["retry_budget"].get<double>(), budget);
}

TEST(DemandExamples, TheEdgeTurnsAwayItsShareWithoutRetriesAndTheQueueDrains) {
  const Example e = run("demand-shed-at-edge");
  const Storm storm(e.world);
  const double start = action_at(e.world, 0), stop = action_at(e.world, 1);
  const double share = 0.75;
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  const Series goodput = read_series(e.dir, "service", "shop.api", "goodput_rps");
  const Series site = read_series(e.dir, "site", "shop.example", "availability");
  // Once the retries already in flight have landed, the clients send at
  // most the share let through times 1 + max_retries.
  const double most = (1 - share) * storm.first_rps * (1 + storm.retries);
  ASSERT_LT(most, storm.capacity_rps);
  const double landed = start + storm.timeout_s + storm.backoff_max_s + 10;
  EXPECT_LE(max_of(between(offered, landed, stop)), most * (1 + 1e-9));
  // Drained: the share let through is served, the rest fails at the edge.
  const double drained = start + storm.drain_s(most) + storm.timeout_s + 10;
  ASSERT_LT(drained, stop);
  for (double a : between(site, drained, stop)) EXPECT_NEAR(a, 1 - share, 1e-9);
  for (double g : between(goodput, drained, stop)) EXPECT_NEAR(g, (1 - share) * storm.first_rps, 1e-6);
  // Everyone let through again on an empty queue: the healthy state, kept.
  EXPECT_GT(min_of(between(site, stop, e.world.duration_s + 1)), 0.9999);
  const auto changed = clients_changed(e.events, "shop.api");
  ASSERT_EQ(changed.size(), 2U);
  EXPECT_DOUBLE_EQ(changed[0]["turned_away"].get<double>(), share);
  EXPECT_DOUBLE_EQ(changed[1]["turned_away"].get<double>(), 0.0);
}

TEST(DemandExamples, SteeringLoadAwayEndsTheStormOnlyBelowTheThreshold) {
  const Example e = run("demand-steered-away");
  const Storm storm(e.world);
  const double away = action_at(e.world, 0), back = action_at(e.world, 1);
  const double factor = std::get<scenario::actions::ChangeDemand>(e.world.actions.at(0).kind).factor;
  const double most = factor * storm.first_rps * (1 + storm.retries);
  ASSERT_LT(most, storm.capacity_rps);
  const Series global = read_series(e.dir, "global", "", "availability");
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  const double drained = away + storm.drain_s(most) + storm.timeout_s + 10;
  ASSERT_LT(drained, back);
  EXPECT_LT(max_of(between(global, away - 300, away)), 0.01);
  EXPECT_GT(min_of(between(global, drained, e.world.duration_s + 1)), 0.9999);
  for (double x : between(offered, drained, back)) EXPECT_NEAR(x, factor * storm.first_rps, 1e-6);
  for (double x : between(offered, back + 10, e.world.duration_s + 1)) EXPECT_NEAR(x, storm.first_rps, 1e-6);

  // Half the load is not enough: 4 attempts per first attempt still exceed
  // the capacity while the queue is full, so the storm goes on.
  const double half = 0.5;
  ASSERT_GT(half * storm.first_rps * (1 + storm.retries), storm.capacity_rps);
  const fs::path dir = run_example("demand-steered-away", "--set 'operators[0].actions[0].factor=0.5'");
  const Series stuck = read_series(dir, "global", "", "availability");
  EXPECT_LT(max_of(between(stuck, away, e.world.duration_s + 1)), 0.01);
}

TEST(HerdExamples, ARestartHerdWithoutJitterCollapsesTheSharedBackend) {
  const Example e = run("herd-shared-backend");
  const auto& herd = e.world.faults.at(0);
  const double back = herd.at_s + *std::get<scenario::faults::Restart>(herd.kind).down_s;
  const double throttle = action_at(e.world, 0);
  const Series store = read_series(e.dir, "service", "shop.sessions", "availability");
  // 10 servers x 50,000 reloads re-sent every 2 s: 250k rps on 100k rps.
  EXPECT_LT(max_of(between(store, back + 30, throttle)), 0.05);
  const auto o = overloads(e.events, "shop.sessions");
  ASSERT_FALSE(o.empty());
  EXPECT_TRUE(o[0].second);
  EXPECT_GE(o[0].first, back);
  EXPECT_GT(o.back().first, throttle) << "the overload ends only after the throttle";
  for (const auto& ev : e.events) {
    if (ev["kind"] == "service_overload") {
      EXPECT_EQ(ev["cause"], "fault:herd");
    }
  }
  const Series global = read_series(e.dir, "global", "", "availability");
  EXPECT_GT(min_of(between(global, action_at(e.world, 1), e.world.duration_s)), 0.9999);
}

TEST(HerdExamples, TheSameRestartsWithJitterNeverOverloadTheBackend) {
  const Example e = run("herd-shared-backend-jittered");
  EXPECT_TRUE(overloads(e.events, "shop.sessions").empty());
  // The site loses only what the servers down at each moment cannot serve:
  // min(1, (20 - down) x 5k / 60k) with `down` the most down at once.
  std::map<std::string, bool> down;
  int most = 0;
  for (const auto& ev : e.events) {
    if (ev["kind"] != "instance_changed") continue;
    down[ev["entity"]] = !ev["up"].get<bool>();
    most = std::max(most, static_cast<int>(std::count_if(down.begin(), down.end(), [](auto& d) { return d.second; })));
  }
  ASSERT_GE(most, 1);
  const double floor = std::min(1.0, (20 - most) * 5e3 / 60e3);
  const Series global = read_series(e.dir, "global", "", "availability");
  EXPECT_GE(min_of(between(global, 0, e.world.duration_s + 1)), floor - 1e-9);
  const Series store = read_series(e.dir, "service", "shop.sessions", "availability");
  EXPECT_GT(min_of(between(store, 0, e.world.duration_s + 1)), 0.999);
}

TEST(DiurnalExample, FailsExactlyTheDemandAboveCapacity) {
  const Example e = run("diurnal-peak");
  const double capacity = 7 * 10e3;
  const double mean = e.world.sites.at(0).rps;
  const models::DiurnalCurve curve{3, 20};
  const std::vector<models::ClientRegionLoad> regions{{0.6, 3600}, {0.4, -5 * 3600}};
  const Series global = read_series(e.dir, "global", "", "availability");
  double worst_t = 0, worst = 1;
  for (const auto& [t, value] : global) {
    const double demand = mean * models::demand_factor(curve, regions, e.world.start_epoch_s + t);
    EXPECT_NEAR(value, std::min(1.0, capacity / demand), 1e-9) << "at t = " << t;
    if (value < worst) std::tie(worst_t, worst) = std::pair{t, value};
  }
  const double hour_utc = std::fmod(worst_t / 3600, 24);
  EXPECT_GT(hour_utc, 19);
  EXPECT_LT(hour_utc, 22) << "nearer Europe's 19:00 UTC peak than the US one";
}

}  // namespace
}  // namespace outagesim
