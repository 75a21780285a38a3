// The load examples of issue #18 (capacity as a budget, a costlier request
// mix, closed-loop users), run through the CLI. What each must show follows
// from its own numbers, computed here from the loaded scenario; nothing is
// copied from a run.
#include "example_run.hpp"
#include "models/request_cost.hpp"

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

std::vector<nlohmann::json> of_kind(const std::vector<nlohmann::json>& events, const std::string& kind) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e["kind"] == kind) out.push_back(e);
  return out;
}

using Example = ExampleRun;

Example run(const std::string& name) { return run_loaded_example(name); }

/// Runs a scenario written here; returns its run directory.
fs::path run_yaml(const std::string& name, const std::string& yaml) {
  const fs::path home = fresh_dir("load-" + name);
  std::ofstream(home / (name + ".yaml")) << yaml;
  const fs::path dir = home / "run";
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", (home / (name + ".yaml")).string(), dir.string()));
  if (o.exit_code != 0) throw std::runtime_error(fmt::format("outagesim run {} failed: {}", name, o.err));
  return dir;
}

TEST(CostExamples, ACostlierMixTipsAServiceWithRetriesIntoOverload) {
  const Example e = run("load-costly-requests");
  const auto& spec = e.scenario.providers.at(0).services.at(0);
  ASSERT_TRUE(spec.cpu.has_value());
  const auto& fault = e.world.faults.at(0);
  const auto& cost = std::get<scenario::faults::RequestCost>(fault.kind);
  const double from = fault.at_s, back = fault.at_s + *fault.duration_s;
  const double shed = *e.world.actions.at(0).at_s, full = *e.world.actions.at(2).at_s;
  const auto& api = e.world.services.at(0);
  const double instances = static_cast<double>(api.instances.size());

  // Capacity is the budget over the cost: cores / cost per instance.
  for (int i : api.instances) EXPECT_DOUBLE_EQ(e.world.instances.at(static_cast<std::size_t>(i)).capacity_rps,
                                               spec.cpu->cores / spec.cpu->cost_s);
  const double capacity = instances * spec.cpu->cores / spec.cpu->cost_s;
  // The dearer share raises the mean cost to (1 - share) + share x k and
  // lowers the rate the same cores serve by that factor: below the load.
  const double mean_cost = (1 - cost.share) + cost.share * cost.cost_factor;
  const double during = capacity / mean_cost;
  ASSERT_GT(capacity, api.offered_rps);
  ASSERT_LT(during, api.offered_rps);
  for (const auto& c : of_kind(e.events, "instance_changed")) {
    if (c["t"].get<double>() == from) {
      EXPECT_NEAR(c["capacity_factor"].get<double>(), 1 / mean_cost, 1e-12);
    }
  }

  // The overload starts during the dearer mix, at the capacity it leaves...
  std::vector<nlohmann::json> overloads;
  for (const auto& o : of_kind(e.events, "service_overload"))
    if (o["entity"] == "shop.api") overloads.push_back(o);
  ASSERT_EQ(overloads.size(), 2U);
  EXPECT_TRUE(overloads[0]["overloaded"].get<bool>());
  EXPECT_GE(overloads[0]["t"].get<double>(), from);
  EXPECT_LT(overloads[0]["t"].get<double>(), back);
  EXPECT_NEAR(overloads[0]["capacity_rps"].get<double>(), during, 1e-9 * during);
  EXPECT_EQ(overloads[0]["cause"], "fault:unindexed-search");
  // ...and outlives it: the retries hold the load above the full capacity
  // until the shedding, up to (1 + max_retries) first attempts.
  EXPECT_FALSE(overloads[1]["overloaded"].get<bool>());
  EXPECT_DOUBLE_EQ(overloads[1]["t"].get<double>(), shed);
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  EXPECT_GT(min_of(between(offered, back + 60, shed)), capacity);
  EXPECT_LE(max_of(between(offered, back + 60, shed)), (1 + api.queue.retry.max_retries) * api.offered_rps * (1 + 1e-9));
  // The cores stay busy on requests their clients gave up on: the work
  // served is the full capacity, nearly all of it wasted.
  const Series wasted = read_series(e.dir, "service", "shop.api", "wasted_rps");
  const Series goodput = read_series(e.dir, "service", "shop.api", "goodput_rps");
  EXPECT_GT(min_of(between(wasted, back + 60, shed)), 0.99 * capacity);
  EXPECT_LT(max_of(between(goodput, back + 60, shed)), 0.01 * capacity);
  for (std::size_t k = 0; k < wasted.size(); ++k)
    EXPECT_LE(wasted[k].second + goodput[k].second, capacity * (1 + 1e-9)) << "t = " << wasted[k].first;
  const Series global = read_series(e.dir, "global", "", "availability");
  EXPECT_LT(max_of(between(global, back + 60, shed)), 0.01);
  EXPECT_DOUBLE_EQ(max_of(between(wasted, 0, from)), 0.0) << "nothing wasted before the dearer mix";
  EXPECT_GT(min_of(between(global, full, e.world.duration_s)), 0.9999);
  const auto summary = read_json(e.dir / "summary.json")["metrics"];
  EXPECT_DOUBLE_EQ(summary["faults"]["unindexed-search"]["failed_requests"].get<double>(),
                   summary["failed_requests"].get<double>());
}

/// A small retry storm: 8 instances, 16k rps of first attempts on 20k rps,
/// 25% of the capacity lost for a minute. `capacity` is the service's
/// capacity line, `faults` the faults list.
std::string storm(const std::string& capacity, const std::string& faults) {
  return fmt::format(R"(scenario: {{name: storm, start: 2025-06-02T12:00:00Z, duration: 30m}}
providers:
  - name: shop
    services:
      - name: api
        instances: {{na-east: 2}}
        {}
        queue: {{max_wait: 30s, timeout: 2s}}
sites:
  - {{name: shop.example, rps: 16k rps, depends_on: [{{target: shop.api}}]}}
traffic:
  retry: {{max_retries: 3, backoff_base: 1s, backoff_max: 8s, jitter: full}}
faults:
  - {{id: drop, kind: capacity_loss, at: +5m, duration: 1m, target: {{service: shop.api}}, capacity_factor: 75%}}
{}
output: {{resolution: 10s}}
)",
                     capacity, faults);
}

TEST(CostExamples, CapacityAsABudgetServesAsItsRateDoes) {
  // 4 cores at 0.4 ms a request are 10k rps: the same storm, the same run.
  const fs::path rate = run_yaml("rate", storm("capacity: 10k rps", ""));
  const fs::path budget = run_yaml("budget", storm("cpu: {cores: 4, cost: 0.4ms}", ""));
  for (const auto& [scope, entity, metric] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"global", "", "availability"},
                                                                      {"service", "shop.api", "goodput_rps"},
                                                                      {"service", "shop.api", "queue_wait_s"}}) {
    const Series a = read_series(rate, scope, entity, metric), b = read_series(budget, scope, entity, metric);
    ASSERT_EQ(a.size(), b.size()) << metric;
    ASSERT_FALSE(a.empty()) << metric;
    for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(a[k].second, b[k].second, 1e-6 * std::max(1.0, a[k].second)) << metric;
  }
  EXPECT_LT(min_of(between(read_series(rate, "global", "", "availability"), 400, 1800)), 0.01) << "it is a storm";
}

TEST(CostExamples, ACostFactorOfOneChangesNothing) {
  const fs::path plain = run_yaml("plain", storm("cpu: {cores: 4, cost: 0.4ms}", ""));
  const fs::path same = run_yaml(
      "factor-one",
      storm("cpu: {cores: 4, cost: 0.4ms}",
            "  - {id: same-cost, kind: request_cost, at: +2m, target: {service: shop.api}, cost_factor: 1, share: 40%}"));
  for (const auto& [scope, entity, metric] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"global", "", "availability"},
                                                                      {"service", "shop.api", "offered_rps"},
                                                                      {"service", "shop.api", "wasted_rps"}}) {
    const Series a = read_series(plain, scope, entity, metric), b = read_series(same, scope, entity, metric);
    ASSERT_FALSE(a.empty()) << metric;
    EXPECT_EQ(a, b) << metric;
  }
  EXPECT_TRUE(of_kind(read_events(same), "instance_changed").size() == of_kind(read_events(plain), "instance_changed").size());
}

TEST(ClosedLoopExamples, UsersSlowDownInsteadOfQueueingAndNoStormForms) {
  const Example e = run("load-closed-loop");
  const auto& site = e.scenario.sites.at(0);
  ASSERT_TRUE(site.closed_loop.has_value());
  const double users = site.closed_loop->users, think = site.closed_loop->think_time_s;
  const auto& fault = e.world.faults.at(0);
  const double from = fault.at_s, back = fault.at_s + *fault.duration_s;
  const auto& api = e.world.services.at(0);
  const double capacity = 10 * 10e3;
  const double left = capacity * std::get<scenario::faults::CapacityLoss>(fault.kind).capacity_factor;
  // While answered at once the users send users / think time: the storm's
  // 80k rps, more than the capacity left during the drop.
  EXPECT_DOUBLE_EQ(e.world.sites.at(0).rps, users / think);
  ASSERT_GT(users / think, left);
  const Series offered = read_series(e.dir, "service", "shop.api", "offered_rps");
  for (double o : between(offered, 0, from)) EXPECT_NEAR(o, users / think, 1e-9 * users / think);
  // During the drop they wait and send less, until they send what is
  // served: users / (W + think) = left, W = users / left - think, within
  // the timeout; the queue holds left x W = users - left x think.
  const double settled = users / left - think;
  ASSERT_LT(settled, api.queue.timeout_s);
  const Series wait = read_series(e.dir, "service", "shop.api", "queue_wait_s");
  EXPECT_LE(max_of(between(wait, 0, e.world.duration_s + 1)), settled * 1.02);
  EXPECT_NEAR(max_of(between(wait, from + 30, back)), settled, 0.02 * settled);
  for (double o : between(offered, from + 30, back)) EXPECT_NEAR(o, left, 0.01 * left);
  // The open loop of metastable-retry-storm fills 30 s of room; nothing
  // here waits past the timeout, so nothing is retried, no overload starts,
  // and the site stays up.
  EXPECT_TRUE(of_kind(e.events, "service_overload").empty());
  const Series global = read_series(e.dir, "global", "", "availability");
  EXPECT_GT(min_of(between(global, 0, e.world.duration_s + 1)), 0.999);
  // Once the capacity is back the queue drains and the users send as before.
  EXPECT_DOUBLE_EQ(max_of(between(wait, back + 60, e.world.duration_s + 1)), 0.0);
  for (double o : between(offered, back + 60, e.world.duration_s + 1)) EXPECT_NEAR(o, users / think, 1e-6 * users / think);
}

}  // namespace
}  // namespace outagesim
