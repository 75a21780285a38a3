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
    else
      for (int t : deps[d].services) targets_[d].push_back(services_[static_cast<std::size_t>(t)]);
    states_.push_back({deps[d].rule, targets_[d], deps[d].k, deps[d].share});
  }
  return models::site_availability(states_);
}

/// Through a record: the clients' cached answers, each weighted by the
/// availability of the service it names (an empty answer serves nothing). A
/// cache of a service's own answers: every client still holding one.
/// Services come before their dependents in service_order, so a value
/// computed once holds for the whole evaluation.
double DependencyEvaluator::cached(const Dependency& d) {
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

const std::vector<Dependency>& dependencies_now(const World& world, const WorldState& state, int service,
                                                std::vector<Dependency>& buffer) {
  const bool overridden = std::any_of(state.overrides.begin(), state.overrides.end(),
                                      [service](const DependencyOverride& o) { return o.service == service; });
  if (!overridden) return world.services[static_cast<std::size_t>(service)].dependencies;
  buffer = effective_dependencies(world, state, service);
  return buffer;
}

}  // namespace outagesim::world
