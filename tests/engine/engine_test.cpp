// Engine tests. SimGrid allows one engine per process, so every simulation
// here runs in a forked child that reports what it saw through a pipe.
#include "sim/engine/simulation.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::engine {
namespace {

/// What a child run reports: every applied version, in order.
struct Applied {
  double t_s;
  int instance;
  int version;
  double error_rate;
  bool operator==(const Applied&) const = default;
};

class Recorder : public world::RunObserver {
 public:
  void on_event(const world::Event& e, const world::WorldState&) override {
    if (const auto* a = std::get_if<world::ConfigApplied>(&e.what))
      applied.push_back({e.t_s, a->instance, a->version, a->error_rate});
  }
  void on_sample(double, const world::WorldState&) override { ++samples; }
  std::vector<Applied> applied;
  int samples = 0;
};

struct ChildResult {
  std::vector<Applied> applied;
  int samples = 0;
};

ChildResult run_in_child(const world::World& world) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Recorder recorder;
    run(world, recorder);
    FILE* out = fdopen(fds[1], "w");
    std::fprintf(out, "%d\n", recorder.samples);
    for (const auto& a : recorder.applied) std::fprintf(out, "%a %d %d %a\n", a.t_s, a.instance, a.version, a.error_rate);
    std::fclose(out);
    _exit(0);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  ChildResult result;
  if (std::fscanf(in, "%d", &result.samples) != 1) result.samples = -1;
  Applied a{};
  while (std::fscanf(in, "%la %d %d %la", &a.t_s, &a.instance, &a.version, &a.error_rate) == 4) result.applied.push_back(a);
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the simulation child failed";
  return result;
}

std::string scenario_text(const std::string& instances, const std::string& size, const std::string& uplink,
                          const std::string& extra = "") {
  return "scenario: {name: t, start: 2025-01-01T00:00:00Z, duration: 10m}\n"
         "providers:\n"
         "  - name: cdn\n"
         "    services:\n"
         "      - {name: proxy, instances: " + instances + ", capacity: 1k rps, access_bandwidth: 1Gbps,\n"
         "         variants: [{name: a, share: 50%}, {name: b, share: 50%}]}\n"
         "    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB, uplink: " + uplink + "}]\n"
         "sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]\n"
         "faults: [{id: push, kind: bad_config_push, channel: cdn.rules, at: +1m, size: " + size + ",\n"
         "          effects: [{variant: b, error_rate: 100%}]}]\n" + extra +
         "output: {resolution: 1m}\n";
}

world::World world_of(const std::string& text) { return world::build(scenario::load_from_string(text, "t.yaml")); }

double last_apply_after_push(const ChildResult& r) {
  double last = 0;
  for (const auto& a : r.applied) last = std::max(last, a.t_s);
  return last - 60;
}

TEST(Engine, OneTransferTakesLatencyPlusSizeOverTheBottleneck) {
  auto r = run_in_child(world_of(scenario_text("{eu-west: 1}", "1MB", "10Gbps")));
  ASSERT_EQ(r.applied.size(), 1u);
  // Same region: two 0.5 ms access links; bottleneck 1 Gbps = 125 MB/s.
  const double expected = 1e-3 + 1e6 / 125e6;
  EXPECT_NEAR(last_apply_after_push(r), expected, expected * 0.05);
  EXPECT_EQ(r.samples, 11);  // 0, 1m, ..., 10m
}

TEST(Engine, DistanceAddsLatency) {
  auto near = run_in_child(world_of(scenario_text("{eu-west: 1}", "10KB", "10Gbps")));
  auto far = run_in_child(world_of(scenario_text("{oc-east: 1}", "10KB", "10Gbps")));
  ASSERT_EQ(far.applied.size(), 1u);
  // London to Sydney is about 17,000 km: more than 0.1 s one way at fibre speed.
  EXPECT_GT(last_apply_after_push(far) - last_apply_after_push(near), 0.1);
}

TEST(Engine, BiggerFilesAndThinnerUplinksReachLater) {
  const std::string pops = "{eu-west: 20, na-east: 20, ap-southeast: 20}";
  double small = last_apply_after_push(run_in_child(world_of(scenario_text(pops, "1MB", "10Gbps"))));
  double big = last_apply_after_push(run_in_child(world_of(scenario_text(pops, "10MB", "10Gbps"))));
  double thin = last_apply_after_push(run_in_child(world_of(scenario_text(pops, "1MB", "1Gbps"))));
  EXPECT_GT(big, 5 * small);
  // 60 copies of 1 MB share a 1 Gbps uplink: at least 60 * 8 ms.
  EXPECT_GT(thin, 60 * 1e6 / 125e6);
  EXPECT_GT(thin, 2 * small);
}

TEST(Engine, VariantsReactDifferentlyAndTheRevertHealsAll) {
  auto r = run_in_child(world_of(
      scenario_text("{eu-west: 2, na-east: 2}", "1MB", "10Gbps",
                    "operators: [{name: sre, actions: [{at: +5m, do: revert, channel: cdn.rules}]}]\n")));
  ASSERT_EQ(r.applied.size(), 8u);  // four consumers, two versions each
  int failing = 0;
  for (const auto& a : r.applied)
    if (a.t_s < 300) failing += a.error_rate == 1.0;
  EXPECT_EQ(failing, 2);  // only variant b fails
  for (const auto& a : r.applied)
    if (a.t_s >= 300) {
      EXPECT_EQ(a.error_rate, 0.0);
    }
}

TEST(Engine, SameWorldSameEvents) {
  const auto world = world_of(scenario_text("{eu-west: 10, na-east: 10, ap-southeast: 10}", "5MB", "1Gbps"));
  EXPECT_EQ(run_in_child(world).applied, run_in_child(world).applied);
}

}  // namespace
}  // namespace outagesim::engine
