// Where the engine's actors run: each provider's control logic on its own
// control-plane host (docs/models/platform.md), config pushes at their
// channel's publisher. The observer is called inside the actor that made the
// change, so the host of that actor is the host the change was made from.
// One engine per process: the run happens in a forked child.
#include "sim/engine/simulation.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>

namespace outagesim::engine {
namespace {

/// Writes "<kind> <host>" for the first event of each kind.
class HostRecorder : public world::RunObserver {
 public:
  explicit HostRecorder(FILE* out) : out_(out) {}
  void on_event(const world::Event& e, const world::WorldState&) override {
    const char* kind = std::holds_alternative<world::OperatorActed>(e.what)         ? "operator_acted"
                       : std::holds_alternative<world::FaultInjected>(e.what)       ? "fault_injected"
                       : std::holds_alternative<world::LoadBalancerChanged>(e.what) ? "load_balancer_changed"
                       : std::holds_alternative<world::RecordChanged>(e.what)       ? "record_changed"
                                                                                    : nullptr;
    if (kind == nullptr || seen_.count(kind)) return;
    seen_[kind] = true;
    std::fprintf(out_, "%s %s\n", kind, simgrid::s4u::this_actor::get_host()->get_cname());
  }
  void on_sample(double, const world::WorldState&) override {}

 private:
  FILE* out_;
  std::map<std::string, bool> seen_;
};

/// Event kind -> host it was first reported from, by a run in a child process.
std::map<std::string, std::string> hosts_of_first_events(const world::World& world) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    FILE* out = fdopen(fds[1], "w");
    HostRecorder recorder(out);
    run(world, recorder);
    std::fclose(out);
    _exit(0);
  }
  close(fds[1]);
  FILE* in = fdopen(fds[0], "r");
  std::map<std::string, std::string> hosts;
  char kind[64], host[256];
  while (std::fscanf(in, "%63s %255s", kind, host) == 2) hosts[kind] = host;
  std::fclose(in);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the simulation child failed";
  return hosts;
}

// Two providers: the load balancer, the crash and the operator act on the
// cloud; the DNS provider (declared first: its control plane is the fallback
// and its instance the platform's first host) health-checks a record that
// points at the cloud. The crash takes every cloud instance down for 2
// minutes, long enough for the record's three failed checks. Each provider's
// logic must run on its own control plane.
constexpr const char* two_providers = R"(
scenario: {name: t, start: 2025-01-01T00:00:00Z, duration: 10m}
providers:
  - name: dns
    services: [{name: authoritative, instances: {eu-west: 1}, capacity: 1k rps}]
    records: [{name: www, points_to: cloud.api, secondary: cloud.api, health_check: {interval: 30s}}]
  - name: cloud
    services:
      - name: api
        instances: {na-east: 2}
        capacity: 1k rps
        load_balancer: {interval: 10s}
sites: [{name: s, rps: 1k rps, depends_on: [{target: cloud.api}]}]
faults: [{id: crash, kind: crash, target: {service: cloud.api}, at: +1m, down: 2m}]
operators:
  - name: sre
    actions: [{at: +5m, do: disable_failover, service: cloud.api}]
output: {resolution: 1m}
)";

TEST(ControlPlane, EachProvidersLogicRunsOnItsOwnControlPlane) {
  const world::World w = world::build(scenario::load_from_string(two_providers, "t.yaml"));
  const auto hosts = hosts_of_first_events(w);
  EXPECT_EQ(hosts.at("fault_injected"), "control@cloud");
  EXPECT_EQ(hosts.at("load_balancer_changed"), "control@cloud");  // the crashed target turns unhealthy
  EXPECT_EQ(hosts.at("operator_acted"), "control@cloud");
  EXPECT_EQ(hosts.at("record_changed"), "control@dns");  // the record's health checker fails it over
}

TEST(ControlPlane, ABadPushStartsAtItsChannelsPublisher) {
  const world::World w = world::build(scenario::load_from_string(R"(
scenario: {name: t, start: 2025-01-01T00:00:00Z, duration: 10m}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 2}, capacity: 1k rps}]
    channels: [{name: rules, consumers: proxy, origin: na-east, size: 1MB}]
sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]
faults: [{id: push, kind: bad_config_push, channel: cdn.rules, at: +1m, effects: [{variant: default, error_rate: 100%}]}]
operators:
  - name: sre
    actions: [{at: +5m, do: revert, channel: cdn.rules}]
output: {resolution: 1m}
)",
                                                                 "t.yaml"));
  const auto hosts = hosts_of_first_events(w);
  EXPECT_EQ(hosts.at("fault_injected"), "cdn.rules@origin");
  EXPECT_EQ(hosts.at("operator_acted"), "control@cdn");
}

}  // namespace
}  // namespace outagesim::engine
