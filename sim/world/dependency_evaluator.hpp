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
  /// `users`: the lists are sites' (their users resolve records through
  /// their client regions' resolvers); else services' (they resolve where
  /// they run: one population, docs/models/dns.md).
  DependencyEvaluator(const World& world, const WorldState& state, const std::vector<double>& services,
                      bool users = false)
      : world_(world), state_(state), services_(services), users_(users) {}

  /// Share of the requests of whoever holds `deps` that they serve. For
  /// users with client regions, a list through a record is evaluated once
  /// per client region with that region's caches, and the results are
  /// weighted by each region's share of the requests; `by_client`, when
  /// given, receives the regions' values (left empty otherwise).
  double operator()(const std::vector<Dependency>& deps, std::vector<double>* by_client = nullptr);

  /// Share of a cached dependency's requests served at state.now_s
  /// (docs/models/dns.md), as the holders of the lists see it (for users
  /// with client regions, the regions' request-weighted mean); computed once
  /// per evaluator for each distinct (record, service, ttl, serve-stale).
  double cached(const Dependency& d);

  /// The same through client region `client`'s resolvers alone.
  double cached_in(const Dependency& d, int client) { return cached(d, client); }

  /// Whether lists through records are evaluated per client region.
  [[nodiscard]] bool per_client_region() const { return users_ && !world_.client_regions.empty(); }

  /// A dependency pinned to one variant: the availability of the target's
  /// instances of that variant (errors, up, capacity left), not of its queue.
  double variant_pool(const Dependency& d) const;

 private:
  /// `client` value of cached(d, client): every client region's caches,
  /// weighted by their shares of the requests.
  static constexpr int all_regions = -2;

  double combine(const std::vector<Dependency>& deps, int client);
  double cached(const Dependency& d, int client);

  struct Memo {
    int record = -1;
    int service = -1;
    int client = -1;
    double ttl_s = 0;
    double serve_stale_s = 0;
    double value = 0;
  };

  const World& world_;
  const WorldState& state_;
  const std::vector<double>& services_;
  bool users_ = false;
  std::vector<models::DependencyState> states_;
  std::vector<std::vector<double>> targets_;
  std::vector<Memo> memo_;
  std::vector<double> shares_;  ///< request share per client region, at state_.now_s
};

}  // namespace outagesim::world
