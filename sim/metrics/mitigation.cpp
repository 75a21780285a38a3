#include "mitigation.hpp"

#include "sim/world/restart_effect.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace outagesim::metrics {
namespace {

bool contains(const std::vector<int>& all, int x) { return std::find(all.begin(), all.end(), x) != all.end(); }

void add(std::vector<int>& all, int x) {
  if (x >= 0 && !contains(all, x)) all.push_back(x);
}

/// Faults that take capacity from a service or add load to it: what
/// throttling, shedding and scaling relieve (fault_kinds.hpp).
bool presses_on_capacity(const scenario::FaultKind& kind) {
  return std::visit([](const auto& k) { return std::decay_t<decltype(k)>::presses_on_capacity; }, kind);
}

/// The most attempts the clients send, per unit of declared load: their
/// demand, less what the edge turns away, times the retries the policy
/// allows at most. What set_retry_policy, change_demand and shed_at_edge
/// relieve a load by is this bound falling.
double offered_bound(const models::RetryPolicy& retry, double demand_factor, double turned_away) {
  double retries = std::max(0, retry.max_retries);
  if (retry.budget) retries = std::min(retries, *retry.budget);
  return demand_factor * (1.0 - turned_away) * (1.0 + retries);
}

scenario::Relief relief(const scenario::ActionKind& kind) {
  return std::visit([](const auto& k) { return std::decay_t<decltype(k)>::relief; }, kind);
}

}  // namespace

Mitigation::Mitigation(const world::World& world)
    : world_(world),
      channels_(world.faults.size()),
      services_(world.faults.size()),
      admit_(world.services.size(), 1.0),
      capacity_scale_(world.services.size(), 1.0),
      offered_bound_(world.services.size(), 1.0) {
  for (std::size_t s = 0; s < world.services.size(); ++s)
    offered_bound_[s] = offered_bound(world.services[s].queue.retry, 1.0, 0.0);
  for (std::size_t f = 0; f < world.faults.size(); ++f) {
    const auto& fault = world.faults[f];
    // A bad push travels on through the channels generated from it (the
    // bad version of a generator's output carries the fault that made it).
    add(channels_[f], fault.channel);
    for (bool grew = true; grew;) {
      grew = false;
      for (std::size_t c = 0; c < world.channels.size(); ++c) {
        const auto& generator = world.channels[c].generator;
        if (!generator || !contains(channels_[f], generator->bad_when_running) || contains(channels_[f], static_cast<int>(c)))
          continue;
        channels_[f].push_back(static_cast<int>(c));
        grew = true;
      }
    }
    for (int c : channels_[f])
      for (int s : world.channels[static_cast<std::size_t>(c)].services) add(services_[f], s);
    for (int i : fault.instances) add(services_[f], world.instances[static_cast<std::size_t>(i)].service);
    add(services_[f], fault.service);
    // A cache it empties or takes down loads the stores behind it (docs/models/caches.md).
    for (const auto& l : world.look_asides)
      if (contains(services_[f], l.cache)) add(services_[f], l.store);
    // Partitions and withdrawn routes hit every instance in their regions
    // (of the provider, for a withdrawal), chosen at run time.
    if (fault.region_wide) {
      for (const auto& instance : world.instances) {
        if (!fault.regions.empty() && !contains(fault.regions, instance.region)) continue;
        const auto& service = world.services[static_cast<std::size_t>(instance.service)];
        if (!fault.provider.empty() && service.provider != fault.provider) continue;
        add(services_[f], instance.service);
      }
    }
  }
}

std::vector<int> Mitigation::mitigated_by(int a, const world::WorldState& state,
                                          const std::vector<FaultOutcome>& faults) {
  const auto& action = world_.actions[static_cast<std::size_t>(a)];
  using scenario::Relief;
  // Throttling or shedding relieves a service when it admits less (shedding
  // also drops the work waiting), scaling when it adds capacity.
  bool relieves_load = false;
  if (action.service >= 0) {
    const auto s = static_cast<std::size_t>(action.service);
    const auto& now = state.services[s];
    const Relief how = relief(action.kind);
    if (how == Relief::sheds_load) relieves_load = true;
    if (how == Relief::admits_less) relieves_load = now.admit < admit_[s];
    if (how == Relief::adds_capacity) relieves_load = now.capacity_scale > capacity_scale_[s];
    const double bound =
        offered_bound(now.retry.value_or(world_.services[s].queue.retry), now.demand_factor, now.turned_away);
    if (how == Relief::offers_less) relieves_load = bound < offered_bound_[s];
    admit_[s] = now.admit;
    capacity_scale_[s] = now.capacity_scale;
    offered_bound_[s] = bound;
  }
  // An overload that outlived its trigger (docs/models/traffic.md) is still
  // the fault's doing: relieving it mitigates the fault even after it recovered.
  const int aftermath_of = relieves_load && state.services[static_cast<std::size_t>(action.service)].overloaded
                               ? state.services[static_cast<std::size_t>(action.service)].overload_cause
                               : -1;
  std::vector<int> out;
  for (std::size_t f = 0; f < world_.faults.size(); ++f) {
    const auto& outcome = faults[f];
    if (!outcome.injected_at || outcome.mitigated_at) continue;
    const int fault = static_cast<int>(f);
    // end_fault's fault may report its end before the action is reported.
    const bool ended_now = relief(action.kind) == Relief::ends_named_fault && action.fault == world::FaultIndex{fault} &&
                           outcome.recovered_at && *outcome.recovered_at == state.now_s;
    if (outcome.recovered_at ? fault == aftermath_of || ended_now : reduces_effect(action, fault, state, relieves_load))
      out.push_back(fault);
  }
  return out;
}

bool Mitigation::reduces_effect(const world::Action& action, int f, const world::WorldState& state,
                           bool relieves_load) const {
  const auto& fault = world_.faults[static_cast<std::size_t>(f)];
  const auto& hit = services_[static_cast<std::size_t>(f)];
  using scenario::Relief;
  switch (relief(action.kind)) {
    case Relief::replaces_bad_version: return contains(channels_[static_cast<std::size_t>(f)], action.channel);
    case Relief::ends_restarted_faults:
      return std::any_of(action.instances.begin(), action.instances.end(), [&](int i) {
        const auto& impairments = state.instances[static_cast<std::size_t>(i)].impairments;
        return std::any_of(impairments.begin(), impairments.end(), [&](const world::Impairment& x) {
          return x.fault == world::FaultIndex{f} && world::restart_ends(world_, x);
        });
      });
    case Relief::admits_less:
    case Relief::sheds_load:
    case Relief::adds_capacity:
    case Relief::offers_less: return relieves_load && presses_on_capacity(fault.kind) && contains(hit, action.service);
    case Relief::bypasses_dependency: return contains(hit, action.from);
    // Turning a load balancer's zone failover off returns the healthy targets
    // of zones a fault's failing checks withdrew (AWS, 2025-10-20, 16:36); a
    // balancer without zone failover has nothing to return.
    case Relief::returns_withdrawn_zones: {
      if (action.record >= 0 || !contains(hit, action.service)) return false;
      const auto& balancer = world_.services[static_cast<std::size_t>(action.service)].load_balancer;
      return balancer && balancer->zone_failover_below > 0;
    }
    case Relief::ends_named_fault: return action.fault == world::FaultIndex{f};
    case Relief::none: return false;
  }
  return false;
}

}  // namespace outagesim::metrics
