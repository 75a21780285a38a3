// end_fault: the operator ends a fault under way (filters the attack, rolls
// the data change back). The fault's own actor wakes and undoes what it
// holds as when its duration ends (Context::end_fault_early); a fault not
// begun yet, or over, is left alone.
#include "sim/engine/action_take.hpp"

namespace outagesim::engine {

template <>
int take(const ActionTake& run, const scenario::actions::EndFault&) {
  run.context.end_fault_early(run.action.fault, run.cause);
  return -1;
}

}  // namespace outagesim::engine
