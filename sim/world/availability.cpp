#include "availability.hpp"

#include "client_reach.hpp"

#include "models/dependency_availability.hpp"
#include "models/dns_cache.hpp"
#include "models/service_queue.hpp"

#include <algorithm>
#include <limits>

namespace outagesim::world {
namespace {

/// How many dependencies of a list go through a DNS record: with client
/// regions, each region's resolvers hold their own answers.
std::ptrdiff_t through_records(const std::vector<Dependency>& deps) {
  return std::count_if(deps.begin(), deps.end(), [](const Dependency& d) { return d.cached && d.record >= 0; });
}

/// `client` value of DependencyEvaluator::cached: every client region's
/// caches, weighted by their shares of the requests.
constexpr int all_regions = -2;

/// Evaluates dependency lists against the service availabilities known so
/// far. `users`: the lists are the sites' (their users resolve records
/// through their client regions' resolvers); else the services' (they
/// resolve where they run: one population, docs/models/dns.md).
class DependencyEvaluator {
 public:
  DependencyEvaluator(const World& world, const WorldState& state, const std::vector<double>& services,
                      bool users = false)
      : world_(world), state_(state), services_(services), users_(users) {}

  /// For users with client regions, a list through a record is evaluated
  /// once per client region with that region's caches, and the results are
  /// weighted by each region's share of the requests; `by_client`, when
  /// given, receives the regions' values (left empty otherwise).
  double operator()(const std::vector<Dependency>& deps, std::vector<double>* by_client = nullptr) {
    if (by_client != nullptr) by_client->clear();
    const auto records = !users_ || world_.client_regions.empty() ? 0 : through_records(deps);
    if (records == 0) return combine(deps, -1);
    if (shares_.empty()) shares_ = request_shares(world_, state_.now_s);
    // A list is affine in the value of each of its dependencies: with one
    // record, the regions' weighted mean is the list at the regions' mean
    // value, computed once.
    if (records == 1 && by_client == nullptr) return combine(deps, all_regions);
    double sum = 0;
    for (std::size_t c = 0; c < shares_.size(); ++c) {
      const double value = combine(deps, static_cast<int>(c));
      if (by_client != nullptr) by_client->push_back(value);
      sum += shares_[c] * value;
    }
    return sum;
  }

 private:
  double combine(const std::vector<Dependency>& deps, int client) {
    states_.clear();
    if (targets_.size() < deps.size()) targets_.resize(deps.size());
    for (std::size_t d = 0; d < deps.size(); ++d) {
      targets_[d].clear();
      if (deps[d].cached) targets_[d].push_back(cached(deps[d], client));
      else
        for (int t : deps[d].services) targets_[d].push_back(services_[static_cast<std::size_t>(t)]);
      states_.push_back({deps[d].rule, targets_[d], deps[d].k, deps[d].share});
    }
    return models::site_availability(states_);
  }

  struct Memo {
    int record = -1;
    int service = -1;
    int client = -1;
    double ttl_s = 0;
    double serve_stale_s = 0;
    double value = 0;
  };

  /// Share of a cached dependency's requests served at state_.now_s (see
  /// cached_view): through a record, the clients' cached answers (client
  /// region `client`'s, the one population's when -1, or the regions' mean
  /// when all_regions). Services come before their dependents in
  /// service_order, so a value computed once holds for the whole evaluation.
  double cached(const Dependency& d, int client) {
    const int service = d.services.front();
    if (d.record < 0) client = -1;  // one population: the cache of a service's own answers
    // Latest first: the regions' mean is memoised after the regions' values.
    for (auto m = memo_.rbegin(); m != memo_.rend(); ++m)
      if (m->record == d.record && m->service == service && m->client == client && m->ttl_s == d.ttl_s &&
          m->serve_stale_s == d.serve_stale_s)
        return m->value;
    double value = 0;
    if (client == all_regions) {
      for (std::size_t c = 0; c < shares_.size(); ++c) value += shares_[c] * cached(d, static_cast<int>(c));
    } else {
      value = cached_view(world_, state_, d, client).availability(
          [this](int t) { return services_[static_cast<std::size_t>(t)]; });
    }
    memo_.push_back({d.record, service, client, d.ttl_s, d.serve_stale_s, value});
    return value;
  }

  const World& world_;
  const WorldState& state_;
  const std::vector<double>& services_;
  bool users_ = false;
  std::vector<models::DependencyState> states_;
  std::vector<std::vector<double>> targets_;
  std::vector<Memo> memo_;
  std::vector<double> shares_;  ///< request share per client region, at state_.now_s
};

}  // namespace

models::CachedAnswers record_answers_in(const World& world, const WorldState& state, int record, double ttl_s,
                                        double serve_stale_s, int client) {
  const auto r = static_cast<std::size_t>(record);
  const int authority = world.records[r].authority;
  std::span<const models::Unreachable> unreachable;
  if (authority >= 0)
    unreachable = client < 0 ? state.unreachable[static_cast<std::size_t>(authority)]
                             : state.unreachable_from[static_cast<std::size_t>(client)][static_cast<std::size_t>(authority)];
  return models::cached_answers(state.records[r].history, unreachable, ttl_s, serve_stale_s, state.now_s);
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
  in.fresh_rps = spec.offered_rps * load.load_factor * demand_factor(world, state.now_s);
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
        if (t == o.from) t = o.to;
  }
  return deps;
}

const std::vector<Dependency>& dependencies_now(const World& world, const WorldState& state, int service,
                                                std::vector<Dependency>& buffer) {
  const bool overridden = std::any_of(state.overrides.begin(), state.overrides.end(),
                                      [service](const DependencyOverride& o) { return o.service == service; });
  if (!overridden) return world.services[static_cast<std::size_t>(service)].dependencies;
  buffer = effective_dependencies(world, state, service);
  return buffer;
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
  std::vector<double> service(world.services.size(), 1.0);
  DependencyEvaluator dependencies(world, state, service);
  std::vector<Dependency> rerouted;
  for (int s : world.service_order) {
    const auto i = static_cast<std::size_t>(s);
    service[i] = service_outcome(world, state, s, dependencies(dependencies_now(world, state, s, rerouted))).availability;
  }
  return service;
}

Availability evaluate(const World& world, const WorldState& state, bool client_views) {
  Availability a;
  a.service = evaluate_services(world, state);
  DependencyEvaluator dependencies(world, state, a.service, /*users=*/true);
  a.site.reserve(world.sites.size());
  double served = 0;
  const double demand = demand_factor(world, state.now_s);
  std::vector<double> regions;
  for (const auto& site : world.sites) {
    // Each region's view only for sites that get series (a population's do not).
    const bool view = client_views && site.series;
    const double availability = dependencies(site.dependencies, view ? &regions : nullptr);
    a.site.push_back(availability);
    a.site_by_client.push_back(view ? regions : std::vector<double>{});
    a.offered_rps += site.rps * demand;
    served += site.rps * demand * availability;
    if (availability < world.site_down_below) ++a.sites_down;
  }
  a.failed_rps = a.offered_rps - served;
  a.global = a.offered_rps > 0 ? served / a.offered_rps : 1.0;
  return a;
}

}  // namespace outagesim::world
