// Throttling and shedding: the service admits only `admit` of its offered
// load from then on; shedding also drops the work already waiting (as LIFO
// or CoDel shedding would): requests their clients have mostly given up on.
#include "sim/engine/action_take.hpp"

namespace outagesim::engine {
namespace {

void admit(const ActionTake& run, double share, bool drop_waiting) {
  auto& service = run.context.state().services[static_cast<std::size_t>(run.action.service)];
  service.admit = share;
  if (drop_waiting) service.queue.queued = 0;
  run.context.emit(world::ServiceChanged{run.action.service, service.admit, service.load_factor, service.capacity_scale},
                   run.cause);
}

}  // namespace

template <>
int take(const ActionTake& run, const scenario::actions::Throttle& kind) {
  admit(run, kind.admit, false);
  return -1;
}

template <>
int take(const ActionTake& run, const scenario::actions::ShedLoad& kind) {
  admit(run, kind.admit, true);
  return -1;
}

}  // namespace outagesim::engine
