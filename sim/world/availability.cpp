#include "availability.hpp"

#include "models/dependency_availability.hpp"
#include "models/dns_cache.hpp"
#include "models/service_queue.hpp"

#include <algorithm>
#include <limits>

namespace outagesim::world {
namespace {

/// Evaluates dependency lists against the service availabilities known so far.
class DependencyEvaluator {
 public:
  DependencyEvaluator(const World& world, const WorldState& state, const std::vector<double>& services)
      : world_(world), state_(state), services_(services) {}

  double operator()(const std::vector<Dependency>& deps) {
    states_.clear();
    if (targets_.size() < deps.size()) targets_.resize(deps.size());
    for (std::size_t d = 0; d < deps.size(); ++d) {
      targets_[d].clear();
      if (deps[d].cached) targets_[d].push_back(cached(deps[d]));
      else if (deps[d].variant >= 0) targets_[d].push_back(variant_pool(deps[d]));
      else
        for (int t : deps[d].services) targets_[d].push_back(services_[static_cast<std::size_t>(t)]);
      states_.push_back({deps[d].rule, targets_[d], deps[d].k, deps[d].share});
    }
    return models::site_availability(states_);
  }

 private:
  struct Memo {
    int record = -1;
    int service = -1;
    double ttl_s = 0;
    double serve_stale_s = 0;
    double value = 0;
  };

  /// Share of a cached dependency's requests served at state_.now_s
  /// (docs/models/dns.md). Through a record: the clients' cached answers,
  /// each weighted by the availability of the service it names (an empty
  /// answer serves nothing). A cache of a service's own answers: every client
  /// still holding one. Services come before their dependents in
  /// service_order, so a value computed once holds for the whole evaluation.
  double cached(const Dependency& d) {
    const int service = d.services.front();
    for (const auto& m : memo_)
      if (m.record == d.record && m.service == service && m.ttl_s == d.ttl_s && m.serve_stale_s == d.serve_stale_s)
        return m.value;
    double value = 0;
    if (d.record >= 0) {
      const auto held = record_answers(world_, state_, d.record, d.ttl_s, d.serve_stale_s);
      for (const auto& [answer, share] : held.shares)
        if (answer >= 0) value += share * services_[static_cast<std::size_t>(answer)];
    } else {
      const models::AnswerSpan always{-std::numeric_limits<double>::infinity(), service};
      const auto held = models::cached_answers(std::span(&always, 1), state_.unreachable[static_cast<std::size_t>(service)],
                                               d.ttl_s, d.serve_stale_s, state_.now_s);
      value = 1.0 - held.unresolved;
    }
    value = std::clamp(value, 0.0, 1.0);
    memo_.push_back({d.record, service, d.ttl_s, d.serve_stale_s, value});
    return value;
  }

  /// A dependency pinned to one variant: the availability of the target's
  /// instances of that variant (errors, up, capacity left), not of its queue.
  double variant_pool(const Dependency& d) const {
    const int service = d.services.front();
    return pool_of(world_, state_, [&](const Instance& i) { return i.service == service && i.variant == d.variant; });
  }

  const World& world_;
  const WorldState& state_;
  const std::vector<double>& services_;
  std::vector<models::DependencyState> states_;
  std::vector<std::vector<double>> targets_;
  std::vector<Memo> memo_;
};

}  // namespace

models::CachedAnswers record_answers(const World& world, const WorldState& state, int record, double ttl_s,
                                     double serve_stale_s) {
  const auto r = static_cast<std::size_t>(record);
  const int authority = world.records[r].authority;
  return models::cached_answers(
      state.records[r].history,
      authority >= 0 ? std::span<const models::Unreachable>(state.unreachable[static_cast<std::size_t>(authority)])
                     : std::span<const models::Unreachable>(),
      ttl_s, serve_stale_s, state.now_s);
}

models::QueueInputs queue_inputs(const World& world, const WorldState& state, int service, double dependencies) {
  const auto s = static_cast<std::size_t>(service);
  const auto& spec = world.services[s];
  const auto& load = state.services[s];
  models::QueueInputs in;
  double capacity = 0, healthy = 0, slowed = 0;
  for (int i : spec.instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up) continue;
    const double effective = world.instances[static_cast<std::size_t>(i)].capacity_rps *
                             std::clamp(instance.capacity_factor, 0.0, 1.0) * load.capacity_scale;
    capacity += effective;
    healthy += effective * (1.0 - instance.error_rate);
    if (instance.added_latency_s > 0) {
      in.added_latency.push_back({effective, instance.added_latency_s});
      slowed += effective;
    }
  }
  // Shares of the capacity: the slowed instances, then the rest at no added latency.
  if (!in.added_latency.empty()) {
    in.added_latency.push_back({capacity - slowed, 0.0});
    for (auto& a : in.added_latency) a.share = capacity > 0 ? a.share / capacity : 0.0;
  }
  in.fresh_rps = spec.offered_rps * load.load_factor * demand_factor(world, state.now_s) + load.forwarded_rps;
  in.capacity_rps = capacity;
  in.quality = capacity > 0 ? healthy / capacity : 0.0;
  in.dependencies = dependencies;
  in.admit = load.admit;
  return in;
}

models::QueueOutcome service_outcome(const World& world, const WorldState& state, int service, double dependencies,
                                     bool with_latency) {
  const auto s = static_cast<std::size_t>(service);
  return models::queue_outcome(world.services[s].queue, state.services[s].queue,
                               queue_inputs(world, state, service, dependencies), with_latency);
}

double service_pool(const World& world, const WorldState& state, int service) {
  return service_outcome(world, state, service, 1.0).availability;
}

std::vector<Dependency> effective_dependencies(const World& world, const WorldState& state, int service) {
  std::vector<Dependency> deps = world.services[static_cast<std::size_t>(service)].dependencies;
  for (const auto& o : state.overrides) {
    if (o.service != service) continue;
    for (auto& d : deps)
      for (int& t : d.services)
        if (t == o.from) {
          t = o.to;
          d.variant = -1;  // the new target's variants are its own
        }
  }
  return deps;
}

namespace {

/// The service's declared dependencies, or, while a reroute is in force,
/// its effective ones (built in `buffer`).
const std::vector<Dependency>& dependencies_now(const World& world, const WorldState& state, int service,
                                                std::vector<Dependency>& buffer) {
  const bool overridden = std::any_of(state.overrides.begin(), state.overrides.end(),
                                      [service](const DependencyOverride& o) { return o.service == service; });
  if (!overridden) return world.services[static_cast<std::size_t>(service)].dependencies;
  buffer = effective_dependencies(world, state, service);
  return buffer;
}

}  // namespace

std::vector<double> dependency_availability(const World& world, const WorldState& state) {
  std::vector<double> service(world.services.size(), 1.0);
  std::vector<double> needs(world.services.size(), 1.0);
  DependencyEvaluator dependencies(world, state, service);
  std::vector<Dependency> rerouted;
  for (int s : world.service_order) {
    const auto i = static_cast<std::size_t>(s);
    needs[i] = dependencies(dependencies_now(world, state, s, rerouted));
    service[i] = service_outcome(world, state, s, needs[i]).availability;
  }
  return needs;
}

std::vector<double> evaluate_services(const World& world, const WorldState& state) {
  std::vector<double> service(world.services.size(), 1.0);
  DependencyEvaluator dependencies(world, state, service);
  std::vector<Dependency> rerouted;
  for (int s : world.service_order) {
    const auto i = static_cast<std::size_t>(s);
    service[i] = service_outcome(world, state, s, dependencies(dependencies_now(world, state, s, rerouted))).availability;
  }
  return service;
}

std::vector<double> returning_load(const World& world, const WorldState& state) {
  std::vector<double> forwarded(world.services.size(), 0.0);
  std::vector<double> service;  // evaluated only if some service has returning users
  std::vector<Dependency> others;
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    if (world.services[s].queue.return_share <= 0) continue;
    const double returning = service_outcome(world, state, static_cast<int>(s), 1.0).returning_rps;
    if (returning <= 0) continue;
    if (service.empty()) service = evaluate_services(world, state);
    DependencyEvaluator dependencies(world, state, service);
    const auto deps = effective_dependencies(world, state, static_cast<int>(s));
    for (std::size_t d = 0; d < deps.size(); ++d) {
      if (deps[d].rule != models::DependencyRule::hard || deps[d].cached) continue;
      // The attempt reaches this dependency when the others it needs answer.
      others.clear();
      for (std::size_t e = 0; e < deps.size(); ++e)
        if (e != d) others.push_back(deps[e]);
      const double gate = dependencies(others);
      for (int t : deps[d].services) forwarded[static_cast<std::size_t>(t)] += returning * deps[d].share * gate;
    }
  }
  return forwarded;
}

Availability evaluate(const World& world, const WorldState& state) {
  Availability a;
  a.service = evaluate_services(world, state);
  DependencyEvaluator dependencies(world, state, a.service);
  a.site.reserve(world.sites.size());
  double served = 0;
  const double demand = demand_factor(world, state.now_s);
  for (const auto& site : world.sites) {
    const double availability = dependencies(site.dependencies);
    a.site.push_back(availability);
    a.offered_rps += site.rps * demand;
    served += site.rps * demand * availability;
    if (availability < world.site_down_below) ++a.sites_down;
  }
  a.failed_rps = a.offered_rps - served;
  a.global = a.offered_rps > 0 ? served / a.offered_rps : 1.0;
  return a;
}

}  // namespace outagesim::world
