// Rerouting: the service uses `to` wherever it depended on `from`, from now
// to the end of the run (docs/models/operators.md).
#include "sim/engine/action_take.hpp"

namespace outagesim::engine {

template <>
int take(const ActionTake& run, const scenario::actions::Reroute&) {
  const auto& action = run.action;
  // The dependency changes at once; availability reads it at the next evaluation.
  run.context.state().overrides.push_back({action.service, action.from, action.to, run.a});
  run.context.emit(world::DependencyRerouted{action.service, action.from, action.to}, run.cause);
  return -1;
}

}  // namespace outagesim::engine
