#include "availability.hpp"

#include "client_reach.hpp"
#include "dependency_evaluator.hpp"
#include "regional_surge.hpp"

#include "models/dependency_availability.hpp"
#include "models/dns_cache.hpp"
#include "models/service_queue.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>

namespace outagesim::world {

models::CachedAnswers record_answers_in(const World& world, const WorldState& state, int record, double ttl_s,
                                        double serve_stale_s, int client) {
  const auto r = static_cast<std::size_t>(record);
  const int authority = world.records[r].authority;
  std::span<const models::Unreachable> unreachable;
  std::span<const models::PartlyAnswered> partly;
  if (authority >= 0) {
    unreachable = client < 0 ? state.unreachable[static_cast<std::size_t>(authority)]
                             : state.unreachable_from[static_cast<std::size_t>(client)][static_cast<std::size_t>(authority)];
    partly = state.partly_answered[static_cast<std::size_t>(authority)];
  }
  if (partly.empty()) return models::cached_answers(state.records[r].history, unreachable, ttl_s, serve_stale_s, state.now_s);
  return models::cached_answers(state.records[r].history, unreachable, partly, ttl_s, serve_stale_s, state.now_s);
}

models::CachedAnswers record_answers(const World& world, const WorldState& state, int record, double ttl_s,
                                     double serve_stale_s) {
  if (world.client_regions.empty()) return record_answers_in(world, state, record, ttl_s, serve_stale_s, -1);
  std::vector<models::CachedAnswers> regions;
  for (std::size_t c = 0; c < world.client_regions.size(); ++c)
    regions.push_back(record_answers_in(world, state, record, ttl_s, serve_stale_s, static_cast<int>(c)));
  return models::mix(regions, request_shares(world, state.now_s));
}

CachedView cached_view(const World& world, const WorldState& state, const Dependency& d, int client) {
  CachedView view;
  if (d.record >= 0) {
    const auto held = record_answers_in(world, state, d.record, d.ttl_s, d.serve_stale_s, client);
    for (const auto& [answer, share] : held.shares)
      if (answer >= 0) view.answers.push_back({answer, share});
    const Record& record = world.records[static_cast<std::size_t>(d.record)];
    if (record.variant >= 0) {
      view.pinned_service = record.points_to;
      view.pinned_value = variant_pool(world, state, record.points_to, record.variant);
    }
  } else {
    const int service = d.services.front();
    const models::AnswerSpan always{-std::numeric_limits<double>::infinity(), service};
    const auto held = models::cached_answers(std::span(&always, 1), state.unreachable[static_cast<std::size_t>(service)],
                                             d.ttl_s, d.serve_stale_s, state.now_s);
    view.held = 1.0 - held.unresolved;
  }
  return view;
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
  // Surges, operators' demand changes and the day's cycle scale the users of
  // closed loops as they scale an open loop's rate; the loops' rate follows
  // from the queue's wait.
  const double regional = regional_surge_mean(world, state, service), demand = demand_factor(world, state.now_s);
  const double scale = load.load_factor * load.demand_factor * regional * demand;
  in.fresh_rps = (spec.offered_rps - spec.closed_loop_rps) * scale + load.forwarded_rps + load.miss_rps;
  // A DNS authority's refresh queries: surges (a query flood) and demand
  // changes scale them, the day does not (resolvers refresh as answers expire).
  if (spec.carries_queries) in.fresh_rps += spec.dns_query_rps * load.load_factor * load.demand_factor * regional;
  for (const auto& loop : spec.closed_loops) in.closed_loops.push_back({loop.users * scale, loop.think_s});
  in.capacity_rps = capacity;
  in.quality = capacity > 0 ? healthy / capacity : 0.0;
  in.dependencies = dependencies;
  in.admit = load.admit;
  in.turned_away = load.turned_away;
  in.retry = load.retry;
  return in;
}

models::QueueOutcome service_outcome(const World& world, const WorldState& state, int service, double dependencies,
                                     bool with_latency) {
  const auto s = static_cast<std::size_t>(service);
  return models::queue_outcome(world.services[s].queue, state.services[s].queue,
                               queue_inputs(world, state, service, dependencies), with_latency);
}

double look_aside_hit_rate(const WorldState& state, const Dependency& d) {
  if (d.rule != models::DependencyRule::look_aside) return 0;
  return d.hit_rate * state.services[static_cast<std::size_t>(d.services.front())].cache_fill;
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

std::vector<models::QueueOutcome> service_outcomes(const World& world, const WorldState& state,
                                                   std::vector<double>& needs) {
  std::vector<double> service(world.services.size(), 1.0);
  needs.assign(world.services.size(), 1.0);
  std::vector<models::QueueOutcome> outcomes(world.services.size());
  DependencyEvaluator dependencies(world, state, service);
  std::vector<Dependency> rerouted;
  for (int s : world.service_order) {
    const auto i = static_cast<std::size_t>(s);
    needs[i] = dependencies(dependencies_now(world, state, s, rerouted));
    outcomes[i] = service_outcome(world, state, s, needs[i]);
    service[i] = outcomes[i].availability;
  }
  return outcomes;
}

std::vector<double> dependency_availability(const World& world, const WorldState& state) {
  std::vector<double> needs;
  service_outcomes(world, state, needs);
  return needs;
}

std::vector<double> evaluate_services(const World& world, const WorldState& state) {
  std::vector<double> needs;
  const auto outcomes = service_outcomes(world, state, needs);
  std::vector<double> service;
  service.reserve(outcomes.size());
  for (const auto& o : outcomes) service.push_back(o.availability);
  return service;
}

double variant_pool(const World& world, const WorldState& state, int service, int variant) {
  std::vector<models::InstanceLoad> loads;
  for (int i : world.services[static_cast<std::size_t>(service)].instances) {
    const auto k = static_cast<std::size_t>(i);
    if (world.instances[k].variant != variant) continue;
    const auto& s = state.instances[k];
    loads.push_back({world.instances[k].capacity_rps, s.error_rate, s.up, s.capacity_factor});
  }
  return models::pool_availability(loads);
}

std::vector<double> returning_load(const World& world, const WorldState& state) {
  std::vector<double> forwarded(world.services.size(), 0.0);
  std::vector<double> service;  // evaluated only if some service has returning users
  std::optional<DependencyEvaluator> dependencies;
  std::vector<Dependency> others;
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    if (world.services[s].queue.return_share <= 0) continue;
    const double returning = service_outcome(world, state, static_cast<int>(s), 1.0).returning_rps;
    if (returning <= 0) continue;
    if (service.empty()) service = evaluate_services(world, state);
    if (!dependencies) dependencies.emplace(world, state, service);
    const auto deps = effective_dependencies(world, state, static_cast<int>(s));
    for (std::size_t d = 0; d < deps.size(); ++d) {
      if (deps[d].rule != models::DependencyRule::hard || deps[d].cached) continue;
      // The attempt reaches this dependency when the others it needs answer.
      others.clear();
      for (std::size_t e = 0; e < deps.size(); ++e)
        if (e != d) others.push_back(deps[e]);
      const double gate = (*dependencies)(others);
      for (int t : deps[d].services) forwarded[static_cast<std::size_t>(t)] += returning * deps[d].share * gate;
    }
  }
  return forwarded;
}

double dependencies_availability(const World& world, const WorldState& state, const std::vector<double>& services,
                                 const std::vector<Dependency>& dependencies) {
  return DependencyEvaluator(world, state, services, /*users=*/true)(dependencies);
}

void add_site_totals(const World& world, double demand, Availability& a) {
  a.offered_rps = 0;
  double served = 0;
  if (world.sums_by_class) {
    // Many sites: a sample costs the classes, not the sites.
    double offered = 0;
    for (std::size_t c = 0; c < world.site_classes.size(); ++c) {
      offered += world.site_classes[c].rps;
      served += world.site_classes[c].rps * a.site_class[c];
    }
    a.offered_rps = offered * demand;
    served *= demand;
  } else {
    // Summed site by site, in site order: grouping the sums by class would
    // round differently and change the outputs' last digits.
    for (std::size_t s = 0; s < world.sites.size(); ++s) {
      a.offered_rps += world.sites[s].rps * demand;
      served += world.sites[s].rps * demand * a.site[s];
    }
  }
  a.failed_rps = a.offered_rps - served;
  a.global = a.offered_rps > 0 ? served / a.offered_rps : 1.0;
  a.sites_down = 0;
  for (std::size_t c = 0; c < world.site_classes.size(); ++c)
    if (a.site_class[c] < world.site_down_below) a.sites_down += static_cast<int>(world.site_classes[c].sites.size());
}

void add_client_views(const World& world, DependencyEvaluator& dependencies, Availability& a) {
  a.site_by_client.resize(world.sites.size());
  if (!dependencies.per_client_region()) return;
  for (std::size_t s = 0; s < world.sites.size(); ++s) {
    // Each region's view only for sites that get series (a population's do not).
    if (!world.sites[s].series) continue;
    dependencies(world.sites[s].dependencies, &a.site_by_client[s]);
  }
}

Availability evaluate(const World& world, const WorldState& state, bool client_views) {
  if (world.site_class.size() != world.sites.size()) throw std::logic_error("world::evaluate: sites not grouped");
  Availability a;
  a.service = evaluate_services(world, state);
  DependencyEvaluator dependencies(world, state, a.service, /*users=*/true);
  a.site_class.reserve(world.site_classes.size());
  for (const auto& c : world.site_classes) a.site_class.push_back(dependencies(c.dependencies));
  a.site.resize(world.sites.size());
  for (std::size_t s = 0; s < world.sites.size(); ++s)
    a.site[s] = a.site_class[static_cast<std::size_t>(world.site_class[s])];
  add_site_totals(world, demand_factor(world, state.now_s), a);
  if (client_views) add_client_views(world, dependencies, a);
  return a;
}

}  // namespace outagesim::world
