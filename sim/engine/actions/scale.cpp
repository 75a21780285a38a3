// Scaling: the service's instances serve `factor` times their capacity from then on.
#include "sim/engine/action_take.hpp"

namespace outagesim::engine {

template <>
int take(const ActionTake& run, const scenario::actions::Scale& kind) {
  auto& service = run.context.state().services[static_cast<std::size_t>(run.action.service)];
  service.capacity_scale = kind.factor;
  run.context.emit(world::ServiceChanged{run.action.service, service.admit, service.load_factor, service.capacity_scale},
                   run.cause);
  return -1;
}

}  // namespace outagesim::engine
