#include "dependency_evaluator.hpp"

#include "client_reach.hpp"

#include <algorithm>

namespace outagesim::world {
double DependencyEvaluator::operator()(const std::vector<Dependency>& deps, std::vector<double>* by_client) {
  if (by_client != nullptr) by_client->clear();
  const auto records = per_client_region() ? through_records(deps) : 0;
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

double DependencyEvaluator::combine(const std::vector<Dependency>& deps, int client) {
  states_.clear();
  if (targets_.size() < deps.size()) targets_.resize(deps.size());
  for (std::size_t d = 0; d < deps.size(); ++d) {
    targets_[d].clear();
    if (deps[d].cached) targets_[d].push_back(cached(deps[d], client));
    else if (deps[d].variant >= 0) targets_[d].push_back(variant_pool(deps[d]));
    else
      for (int t : deps[d].services) targets_[d].push_back(services_[static_cast<std::size_t>(t)]);
    states_.push_back({deps[d].rule, targets_[d], deps[d].k, deps[d].share, look_aside_hit_rate(state_, deps[d])});
  }
  return models::site_availability(states_);
}

double DependencyEvaluator::cached(const Dependency& d) {
  if (!per_client_region() || !d.through_record()) return cached(d, -1);
  if (shares_.empty()) shares_ = request_shares(world_, state_.now_s);
  return cached(d, all_regions);
}

/// See cached_view (availability.hpp): through a record, the clients' cached
/// answers (client region `client`'s, the one population's when -1, or the
/// regions' mean when all_regions). Services come before their dependents
/// in service_order, so a value computed once holds for the whole evaluation.
double DependencyEvaluator::cached(const Dependency& d, int client) {
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

double DependencyEvaluator::variant_pool(const Dependency& d) const {
  return world::variant_pool(world_, state_, d.services.front(), d.variant);
}

const std::vector<Dependency>& dependencies_now(const World& world, const WorldState& state, int service,
                                                std::vector<Dependency>& buffer) {
  const bool overridden = std::any_of(state.overrides.begin(), state.overrides.end(),
                                      [service](const DependencyOverride& o) { return o.service == service; });
  if (!overridden) return world.services[static_cast<std::size_t>(service)].dependencies;
  buffer = effective_dependencies(world, state, service);
  return buffer;
}

}  // namespace outagesim::world
