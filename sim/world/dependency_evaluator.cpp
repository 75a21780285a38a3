#include "dependency_evaluator.hpp"

#include "availability.hpp"
#include "models/dns_cache.hpp"

#include <algorithm>
#include <limits>

namespace outagesim::world {

double DependencyEvaluator::operator()(const std::vector<Dependency>& deps) {
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

/// See cached_view (availability.hpp). Services come before their dependents in service_order, so a value
/// computed once holds for the whole evaluation.
double DependencyEvaluator::cached(const Dependency& d) {
  const int service = d.services.front();
  for (const auto& m : memo_)
    if (m.record == d.record && m.service == service && m.ttl_s == d.ttl_s && m.serve_stale_s == d.serve_stale_s)
      return m.value;
  const double value =
      cached_view(world_, state_, d).availability([this](int t) { return services_[static_cast<std::size_t>(t)]; });
  memo_.push_back({d.record, service, d.ttl_s, d.serve_stale_s, value});
  return value;
}

double DependencyEvaluator::variant_pool(const Dependency& d) const {
  const int service = d.services.front();
  return pool_of(world_, state_, [&](const Instance& i) { return i.service == service && i.variant == d.variant; });
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
