// Load surge: the load offered to the target's service is multiplied by
// `load_factor` for the fault's duration; surges on one service multiply.
// With `regions`, only those client regions' load is (world/regional_surge),
// and the service's reported `load_factor` is that of the surges on everyone.
#include "sim/engine/fault_play.hpp"

#include <algorithm>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

/// The service's load factor from the surges it holds, reported.
void set_load_factor(Context& context, int service, const std::string& cause) {
  auto& s = context.state().services[static_cast<std::size_t>(service)];
  s.load_factor = 1;
  // A regional surge grows its client regions' load only (world/regional_surge).
  for (int g : s.surges) {
    const auto& surge = context.world().faults[static_cast<std::size_t>(g)];
    if (surge.regions.empty()) s.load_factor *= world::surge_load_factor(surge);
  }
  s.cause_fault = s.surges.empty() ? -1 : s.surges.front();
  context.emit(world::ServiceChanged{service, s.admit, s.load_factor, s.capacity_scale}, cause);
}

}  // namespace

template <>
void play(const FaultPlay& run, const scenario::faults::LoadSurge&) {
  const auto& fault = run.fault;
  auto& surges = run.context.state().services[static_cast<std::size_t>(fault.service)].surges;
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  surges.push_back(world::index(run.f));
  set_load_factor(run.context, fault.service, run.cause);
  if (!run.wait_out()) return;
  surges.erase(std::find(surges.begin(), surges.end(), world::index(run.f)));
  set_load_factor(run.context, fault.service, run.ending_cause());
  run.context.end_fault(run.f, run.ending_cause());
}

}  // namespace outagesim::engine
