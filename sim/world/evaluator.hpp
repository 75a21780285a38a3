// world::evaluate with a memory: the same values, recomputing at each call
// only what changed since the previous one (docs/models/evaluation.md).
// Change is found by comparing what each value is computed from, never by
// flags the engine would have to raise: a service's queue inputs (one pass
// over its instances) and queue state; a site class's services and cached
// answers. A site class is re-evaluated only when one of them changed (the
// services -> classes graph is a sparse matrix), sites take their class's
// value through a sparse product, and the totals are summed again only when
// a class or the demand changed.
#pragma once

#include "availability.hpp"
#include "state.hpp"
#include "world.hpp"

#include <memory>
#include <vector>

namespace outagesim::world {

class Evaluator {
 public:
  explicit Evaluator(const World& world);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  /// Equal, bit for bit, to world::evaluate(world, state, client_views).
  const Availability& evaluate(const WorldState& state, bool client_views = false);

  /// Per service, the availability of what it depends on at the last call
  /// (what dependency_availability gives).
  [[nodiscard]] const std::vector<double>& needs() const { return needs_; }

  /// What the last call recomputed.
  struct Work {
    int services = 0;     ///< queue models run
    int classes = 0;      ///< site classes evaluated
    bool sites = false;   ///< site values and totals recomputed
  };
  [[nodiscard]] const Work& work() const { return work_; }

 private:
  struct Graph;  // the sparse matrices, kept out of this header

  const World& world_;
  std::unique_ptr<Graph> graph_;
  Availability a_;
  std::vector<double> needs_;
  std::vector<models::QueueInputs> inputs_;  ///< per service, at its last queue model run
  std::vector<models::QueueState> queues_;   ///< per service, likewise
  /// Per key (Graph), at the last call: its value, then, through a record
  /// with client regions, each region's.
  std::vector<std::vector<double>> cached_;
  std::vector<double> shares_;  ///< request share per client region, at the last call
  double demand_ = 0;
  bool evaluated_ = false;
  Work work_;
};

}  // namespace outagesim::world
