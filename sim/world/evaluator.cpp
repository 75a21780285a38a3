#include "evaluator.hpp"

#include "client_reach.hpp"
#include "dependency_evaluator.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>

namespace outagesim::world {
namespace {

/// Bit for bit: a value recomputed from the same inputs is the same double,
/// and anything else (even -0 for 0) must be recomputed.
bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same(const models::QueueInputs& a, const models::QueueInputs& b) {
  if (!same(a.fresh_rps, b.fresh_rps) || !same(a.capacity_rps, b.capacity_rps) || !same(a.quality, b.quality) ||
      !same(a.dependencies, b.dependencies) || !same(a.admit, b.admit) || !same(a.turned_away, b.turned_away) ||
      a.retry != b.retry || a.added_latency.size() != b.added_latency.size())
    return false;
  for (std::size_t i = 0; i < a.added_latency.size(); ++i)
    if (!same(a.added_latency[i].share, b.added_latency[i].share) ||
        !same(a.added_latency[i].added_s, b.added_latency[i].added_s))
      return false;
  if (a.closed_loops.size() != b.closed_loops.size()) return false;
  for (std::size_t i = 0; i < a.closed_loops.size(); ++i)
    if (!same(a.closed_loops[i].users, b.closed_loops[i].users) || !same(a.closed_loops[i].think_s, b.closed_loops[i].think_s))
      return false;
  return true;
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

/// Every field, the users' counters included: queue_outcome may read any.
bool same(const models::QueueState& a, const models::QueueState& b) {
  if (!same(a.queued, b.queued) || !same(a.held, b.held) || !same(a.pending, b.pending) ||
      !same(a.backlog, b.backlog) || !same(a.waiting, b.waiting) || !same(a.failed_users, b.failed_users) ||
      !same(a.deferred_users, b.deferred_users) || !same(a.abandoned_users, b.abandoned_users) ||
      !same(a.returned_users, b.returned_users) || a.retries.size() != b.retries.size())
    return false;
  // The same attempts in flight, due the same number of steps from now.
  for (auto i = a.retries.begin(), j = b.retries.begin(); i != a.retries.end(); ++i, ++j)
    if (i->first - a.steps != j->first - b.steps || !same(i->second, j->second)) return false;
  return true;
}

}  // namespace

/// Built once per world. Rows of `readers`: services, then the distinct
/// cached or variant-pinned dependencies of the site classes ("keys": a
/// cached one's value moves with time and with the services its record may
/// name, a pinned one's with instances that need not move the service's
/// value); columns: site classes.
struct Evaluator::Graph {
  Eigen::SparseMatrix<double, Eigen::RowMajor> membership;  ///< sites x classes, 1 where a site is in a class
  Eigen::SparseMatrix<double, Eigen::RowMajor> readers;     ///< (services + keys) x classes, 1 where a class reads it
  std::vector<Dependency> keys;                              ///< one representative per key
  /// Classes whose lists go through two records or more: with client
  /// regions, their value mixes the regions' with the request shares.
  std::vector<int> mixing;

  explicit Graph(const World& world) {
    using Triplet = Eigen::Triplet<double>;
    std::vector<Triplet> in;
    in.reserve(world.sites.size());
    for (std::size_t s = 0; s < world.sites.size(); ++s)
      in.emplace_back(static_cast<int>(s), world.site_class[s], 1.0);
    membership.resize(static_cast<Eigen::Index>(world.sites.size()), static_cast<Eigen::Index>(world.site_classes.size()));
    membership.setFromTriplets(in.begin(), in.end());

    std::vector<Triplet> reads;
    const auto services = static_cast<int>(world.services.size());
    for (std::size_t c = 0; c < world.site_classes.size(); ++c)
      for (const auto& d : world.site_classes[c].dependencies) {
        if (!d.cached && d.variant < 0) {
          for (int t : d.services) reads.emplace_back(t, static_cast<int>(c), 1.0);
          continue;
        }
        reads.emplace_back(services + key_of(d), static_cast<int>(c), 1.0);
      }
    for (std::size_t c = 0; c < world.site_classes.size(); ++c) {
      const auto& deps = world.site_classes[c].dependencies;
      if (through_records(deps) > 1)
        mixing.push_back(static_cast<int>(c));
    }
    readers.resize(services + static_cast<Eigen::Index>(keys.size()),
                   static_cast<Eigen::Index>(world.site_classes.size()));
    readers.setFromTriplets(reads.begin(), reads.end(), [](double a, double) { return a; });
  }

  /// The index of the key `d` falls under, added if new. Cached ones are
  /// keyed as DependencyEvaluator memoizes: (record, service, ttl,
  /// serve-stale); pinned ones by (service, variant).
  int key_of(const Dependency& d) {
    for (std::size_t k = 0; k < keys.size(); ++k)
      if (keys[k].cached == d.cached && keys[k].variant == d.variant && keys[k].record == d.record &&
          keys[k].services.front() == d.services.front() && keys[k].ttl_s == d.ttl_s &&
          keys[k].serve_stale_s == d.serve_stale_s)
        return static_cast<int>(k);
    keys.push_back(d);
    return static_cast<int>(keys.size() - 1);
  }
};

Evaluator::Evaluator(const World& world) : world_(world) {
  if (world.site_class.size() != world.sites.size()) throw std::logic_error("world::Evaluator: sites not grouped");
  graph_ = std::make_unique<Graph>(world);
  a_.service.assign(world.services.size(), 1.0);
  a_.site_class.assign(world.site_classes.size(), 1.0);
  a_.site.assign(world.sites.size(), 1.0);
  needs_.assign(world.services.size(), 1.0);
  inputs_.resize(world.services.size());
  queues_.resize(world.services.size());
  cached_.assign(graph_->keys.size(), {});
}

Evaluator::~Evaluator() = default;

const Availability& Evaluator::evaluate(const WorldState& state, bool client_views) {
  work_ = {};
  const bool all = !evaluated_;
  evaluated_ = true;

  // Services, in dependency order. Their dependency values are cheap and
  // read first: they are part of the queue inputs compared below.
  const auto services = world_.services.size();
  std::vector<char> dirty(services + graph_->keys.size(), all ? 1 : 0);
  {
    DependencyEvaluator dependencies(world_, state, a_.service);
    std::vector<Dependency> rerouted;
    for (int s : world_.service_order) {
      const auto i = static_cast<std::size_t>(s);
      needs_[i] = dependencies(dependencies_now(world_, state, s, rerouted));
      models::QueueInputs in = queue_inputs(world_, state, s, needs_[i]);
      const auto& queue = state.services[i].queue;
      if (!all && same(in, inputs_[i]) && same(queue, queues_[i])) continue;
      const double value = models::queue_outcome(world_.services[i].queue, queue, in, /*with_latency=*/false).availability;
      ++work_.services;
      inputs_[i] = std::move(in);
      queues_[i] = queue;
      if (!same(value, a_.service[i])) dirty[i] = 1;
      a_.service[i] = value;
    }
  }

  // Site classes: those reading a service, a cached answer or a variant's
  // instances that changed. With client regions, a record's answers are
  // compared region by region, and the request shares that weigh them.
  DependencyEvaluator dependencies(world_, state, a_.service, /*users=*/true);
  const bool regional = dependencies.per_client_region();
  std::vector<double> watched;
  for (std::size_t k = 0; k < graph_->keys.size(); ++k) {
    const auto& key = graph_->keys[k];
    watched.assign(1, key.cached ? dependencies.cached(key) : dependencies.variant_pool(key));
    if (regional && key.through_record())
      for (std::size_t c = 0; c < world_.client_regions.size(); ++c)
        watched.push_back(dependencies.cached_in(key, static_cast<int>(c)));
    if (!same(watched, cached_[k])) dirty[services + k] = 1;
    cached_[k] = watched;
  }
  std::vector<char> stale(world_.site_classes.size(), all ? 1 : 0);
  for (std::size_t row = 0; row < dirty.size(); ++row) {
    if (dirty[row] == 0) continue;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(graph_->readers, static_cast<Eigen::Index>(row));
         it; ++it)
      stale[static_cast<std::size_t>(it.col())] = 1;
  }
  if (regional) {
    auto shares = request_shares(world_, state.now_s);
    if (!same(shares, shares_))
      for (int c : graph_->mixing) stale[static_cast<std::size_t>(c)] = 1;
    shares_ = std::move(shares);
  }
  bool classes_changed = all;
  for (std::size_t c = 0; c < stale.size(); ++c) {
    if (stale[c] == 0) continue;
    const double value = dependencies(world_.site_classes[c].dependencies);
    ++work_.classes;
    if (!same(value, a_.site_class[c])) classes_changed = true;
    a_.site_class[c] = value;
  }

  // Sites take their class's value; the totals follow the sites and the demand.
  const double demand = demand_factor(world_, state.now_s);
  if (classes_changed) {
    Eigen::Map<Eigen::VectorXd> site(a_.site.data(), static_cast<Eigen::Index>(a_.site.size()));
    const Eigen::Map<const Eigen::VectorXd> by_class(a_.site_class.data(), static_cast<Eigen::Index>(a_.site_class.size()));
    // One 1 per row: each site's value is 0 + 1 x its class's, exact (only a
    // class value of -0 would come out as +0, and none is produced).
    site.noalias() = graph_->membership * by_class;
  }
  if (classes_changed || !same(demand, demand_)) {
    add_site_totals(world_, demand, a_);
    work_.sites = true;
  }
  demand_ = demand;
  if (client_views) add_client_views(world_, dependencies, a_);
  else a_.site_by_client.clear();
  return a_;
}

}  // namespace outagesim::world
