// A costlier request mix: `share` of the targets' requests cost `cost_factor`
// times the usual, so each target keeps 1 / ((1 - share) + share x k) of its
// capacity for the fault's duration. The same share of capacity left as a
// config version with a `cost_factor` (models/request_cost.hpp), held the
// way a capacity_loss holds it; a restart does not end it: the requests
// still come.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

#include "models/request_cost.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::RequestCost& kind) {
  hold(run, run.fault.instances,
       {.fault = run.f, .capacity_factor = models::capacity_left_at_cost(kind.cost_factor, kind.share)});
}

}  // namespace outagesim::engine
