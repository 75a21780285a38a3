// Route withdrawal: the provider's instances in the regions (all when none)
// are down for clients for the fault's duration; config transfers, which do
// not follow the withdrawn routes, go on.
#include "sim/engine/fault_play.hpp"
#include "sim/engine/instance_faults.hpp"

namespace outagesim::engine {

template <>
void play(const FaultPlay& run, const scenario::faults::RouteWithdrawal&) {
  const auto& fault = run.fault;
  hold(run, instances_in_regions(run.context.world(), fault.regions, fault.provider),
       {.fault = run.f, .down = true});
}

}  // namespace outagesim::engine
