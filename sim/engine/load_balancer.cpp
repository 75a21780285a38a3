// The checkers run only inside SimGrid actors (one per load balancer) or in
// an operator's actor, so every change has a simulated time and a cause.
#include "load_balancer.hpp"

#include "instance_faults.hpp"
#include "sim/world/config_effects.hpp"
#include "models/rng.hpp"

#include <algorithm>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

using world::LoadBalancerChangeReason;

LoadBalancers::LoadBalancers(Context& context) : context_(context) {
  const auto& world = context_.world();
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    const auto& service = world.services[s];
    if (!service.load_balancer) continue;
    Balancer lb;
    lb.service = static_cast<int>(s);
    lb.targets = service.instances;
    for (int i : lb.targets) {
      // A zone is a region: AWS's per-AZ nodes, at the granularity of the platform.
      const int region = world.instances[static_cast<std::size_t>(i)].region;
      auto it = std::find(lb.zones.begin(), lb.zones.end(), region);
      if (it == lb.zones.end()) it = lb.zones.insert(lb.zones.end(), region);
      lb.zone_of.push_back(static_cast<int>(it - lb.zones.begin()));
    }
    lb.health.resize(lb.targets.size());
    lb.routing.in_service.assign(lb.targets.size(), true);
    lb.routing.zone_withdrawn.assign(lb.zones.size(), false);
    balancers_.push_back(std::move(lb));
  }
}

void LoadBalancers::start() {
  const auto& world = context_.world();
  for (auto& lb : balancers_) {
    const auto& service = world.services[static_cast<std::size_t>(lb.service)];
    spawn_daemon("load_balancer:" + service.id,
                 context_.host(world::control_plane_host(world.platform, service.provider)),
                 [this, &lb] { check(lb); });
  }
}

std::string LoadBalancers::cause_of(const Balancer& lb) const {
  return "load_balancer:" + context_.world().services[static_cast<std::size_t>(lb.service)].id;
}

int LoadBalancers::in_service(const Balancer& lb) const {
  return static_cast<int>(std::count(lb.routing.in_service.begin(), lb.routing.in_service.end(), true));
}

models::ProbeView LoadBalancers::probe_view(int instance) const {
  const auto& s = context_.state().instances[static_cast<std::size_t>(instance)];
  const bool down = std::any_of(s.impairments.begin(), s.impairments.end(),
                                [](const world::Impairment& i) { return i.down && !i.out_of_service; });
  return {!down, s.error_rate, s.added_latency_s,
          world::config_health_check_error_rate(context_.world(), context_.state(), instance)};
}

int LoadBalancers::fault_behind(int instance) const {
  const auto& world = context_.world();
  const auto& state = context_.state();
  const auto ii = static_cast<std::size_t>(instance);
  for (const auto& i : state.instances[ii].impairments)
    if (!i.out_of_service && i.fault != world::FaultIndex::none) return world::index(i.fault);
  // Else the bad config version it fails on, if any.
  for (const auto& [c, k] : world.instances[ii].consumes) {
    if (static_cast<std::size_t>(c) >= state.running.size()) continue;
    const auto& version =
        state.versions[static_cast<std::size_t>(state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)])];
    if (version.fault >= 0 && world::config_error_rate(world, state, c, k) > 0) return version.fault;
  }
  // Else the version that fails its checks alone.
  return world::fault_failing_health_checks(world, state, instance);
}

/// Probes every target at each multiple of the interval from the start of
/// the run, counts the results, and routes by them.
void LoadBalancers::check(Balancer& lb) {
  const auto& world = context_.world();
  const auto& spec = *world.services[static_cast<std::size_t>(lb.service)].load_balancer;
  const models::HealthThresholds thresholds{spec.healthy_threshold, spec.unhealthy_threshold};
  const std::string cause = cause_of(lb);
  // One stream per target: its probes do not shift when another target is added.
  std::vector<models::Rng> probes;
  for (int i : lb.targets) probes.emplace_back(world.seed, "load_balancer_probe:" + world.instances[static_cast<std::size_t>(i)].id);
  for (long k = 1;; ++k) {
    const double t = static_cast<double>(k) * spec.interval_s;
    if (t > world.duration_s) return;
    sg4::this_actor::sleep_until(t);
    for (std::size_t j = 0; j < lb.targets.size(); ++j) {
      const double fails = models::probe_failure_probability(probe_view(lb.targets[j]), spec.timeout_s);
      const bool passed = probes[j].uniform() >= fails;
      // The checks go on, and still take unhealthy targets out, while zone failover is disabled.
      if (!lb.health[j].record(passed, thresholds)) continue;
      context_.emit(world::LoadBalancerChanged{lb.service, lb.targets[j], -1, in_service(lb),
                                               lb.health[j].healthy() ? LoadBalancerChangeReason::target_healthy
                                                                      : LoadBalancerChangeReason::target_unhealthy},
                    cause);
    }
    reroute(lb, cause);
  }
}

void LoadBalancers::reroute(Balancer& lb, const std::string& cause) {
  const auto& world = context_.world();
  const auto& spec = *world.services[static_cast<std::size_t>(lb.service)].load_balancer;
  std::vector<models::RoutedTarget> targets;
  for (std::size_t j = 0; j < lb.targets.size(); ++j) targets.push_back({lb.zone_of[j], lb.health[j].healthy()});
  const models::Routing before = lb.routing;
  lb.routing =
      models::route(targets, static_cast<int>(lb.zones.size()), spec.zone_failover_below, lb.zone_failover_enabled);
  const int serving = in_service(lb);
  // The decisions first, then the instances they take out or put back.
  for (std::size_t z = 0; z < lb.zones.size(); ++z)
    if (before.zone_withdrawn[z] != lb.routing.zone_withdrawn[z])
      context_.emit(world::LoadBalancerChanged{lb.service, -1, lb.zones[z], serving,
                                               lb.routing.zone_withdrawn[z] ? LoadBalancerChangeReason::zone_withdrawn
                                                                            : LoadBalancerChangeReason::zone_restored},
                    cause);
  if (before.failed_open != lb.routing.failed_open)
    context_.emit(world::LoadBalancerChanged{lb.service, -1, -1, serving,
                                             lb.routing.failed_open ? LoadBalancerChangeReason::failed_open
                                                                    : LoadBalancerChangeReason::failed_closed},
                  cause);
  for (std::size_t j = 0; j < lb.targets.size(); ++j) {
    if (before.in_service[j] == lb.routing.in_service[j]) continue;
    int fault = -1;
    if (!lb.routing.in_service[j]) {
      // A healthy target withdrawn with its zone owes it to the zone's unhealthy ones.
      fault = fault_behind(lb.targets[j]);
      for (std::size_t o = 0; o < lb.targets.size() && fault < 0; ++o)
        if (lb.zone_of[o] == lb.zone_of[j] && !lb.health[o].healthy()) fault = fault_behind(lb.targets[o]);
    }
    set_out_of_service(context_, lb.targets[j], !lb.routing.in_service[j], world::FaultIndex{fault}, cause);
  }
}

void LoadBalancers::set_failover(int a, bool enable) {
  const auto& action = context_.world().actions[static_cast<std::size_t>(a)];
  auto lb = std::find_if(balancers_.begin(), balancers_.end(), [&](const Balancer& b) { return b.service == action.service; });
  lb->zone_failover_enabled = enable;
  const std::string cause = "operator:" + action.operator_name;
  context_.emit(world::LoadBalancerChanged{lb->service, -1, -1, in_service(*lb),
                                           lb->zone_failover_enabled ? LoadBalancerChangeReason::failover_enabled
                                                                : LoadBalancerChangeReason::failover_disabled},
                cause);
  reroute(*lb, cause);
}

}  // namespace outagesim::engine
