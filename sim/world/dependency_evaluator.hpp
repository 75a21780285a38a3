// Dependency lists (a service's, a site class's) evaluated against the
// availability of the services they name, at one instant. Shared by the
// one-shot evaluation (availability.cpp) and the incremental one
// (evaluator.cpp), so both compute every value the same way.
#pragma once

#include "availability.hpp"
#include "models/dependency_availability.hpp"
#include "state.hpp"
#include "world.hpp"

#include <vector>

namespace outagesim::world {

class DependencyEvaluator {
 public:
  /// `services`: availability of every service at state.now_s, as far as
  /// computed (services come before their dependents in service_order).
  DependencyEvaluator(const World& world, const WorldState& state, const std::vector<double>& services)
      : world_(world), state_(state), services_(services) {}

  /// Share of the requests of whoever holds `deps` that they serve.
  double operator()(const std::vector<Dependency>& deps);

  /// Share of a cached dependency's requests served at state.now_s
  /// (docs/models/dns.md), computed once per evaluator for each distinct
  /// (record, service, ttl, serve-stale).
  double cached(const Dependency& d);

  /// A dependency pinned to one variant: the availability of the target's
  /// instances of that variant (errors, up, capacity left), not of its queue.
  double variant_pool(const Dependency& d) const;

 private:
  struct Memo {
    int record = -1;
    int service = -1;
    double ttl_s = 0;
    double serve_stale_s = 0;
    double value = 0;
  };

  const World& world_;
  const WorldState& state_;
  const std::vector<double>& services_;
  std::vector<models::DependencyState> states_;
  std::vector<std::vector<double>> targets_;
  std::vector<Memo> memo_;
};

}  // namespace outagesim::world
