#include "availability.hpp"

#include "models/dependency_availability.hpp"

namespace outagesim::world {
namespace {

/// Evaluates dependency lists against the service availabilities known so far.
class DependencyEvaluator {
 public:
  explicit DependencyEvaluator(const std::vector<double>& services) : services_(services) {}

  double operator()(const std::vector<Dependency>& deps) {
    states_.clear();
    if (targets_.size() < deps.size()) targets_.resize(deps.size());
    for (std::size_t d = 0; d < deps.size(); ++d) {
      targets_[d].clear();
      for (int t : deps[d].services) targets_[d].push_back(services_[static_cast<std::size_t>(t)]);
      states_.push_back({deps[d].rule, targets_[d], deps[d].k, deps[d].share});
    }
    return models::site_availability(states_);
  }

 private:
  const std::vector<double>& services_;
  std::vector<models::DependencyState> states_;
  std::vector<std::vector<double>> targets_;
};

}  // namespace

double service_pool(const World& world, const WorldState& state, int service) {
  const auto s = static_cast<std::size_t>(service);
  const auto& spec = world.services[s];
  const auto& load = state.services[s];
  std::vector<models::InstanceLoad> loads;
  loads.reserve(spec.instances.size());
  for (int i : spec.instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    loads.push_back({world.instances[static_cast<std::size_t>(i)].capacity_rps, instance.error_rate, instance.up,
                     instance.capacity_factor});
  }
  // Throttling refuses the share it does not admit, and protects the rest.
  const double admitted = spec.offered_rps * load.load_factor * load.admit;
  return load.admit * models::pool_availability(loads, admitted);
}

Availability evaluate(const World& world, const WorldState& state) {
  Availability a;
  a.service.assign(world.services.size(), 1.0);
  DependencyEvaluator dependencies(a.service);
  for (int s : world.service_order)
    a.service[static_cast<std::size_t>(s)] =
        service_pool(world, state, s) * dependencies(world.services[static_cast<std::size_t>(s)].dependencies);
  a.site.reserve(world.sites.size());
  double served = 0;
  for (const auto& site : world.sites) {
    const double availability = dependencies(site.dependencies);
    a.site.push_back(availability);
    a.offered_rps += site.rps;
    served += site.rps * availability;
    if (availability < world.site_down_below) ++a.sites_down;
  }
  a.failed_rps = a.offered_rps - served;
  a.global = a.offered_rps > 0 ? served / a.offered_rps : 1.0;
  return a;
}

}  // namespace outagesim::world
