// Turning health-checked failover off or on, of a DNS record (docs/models/dns.md)
// or of a service's load balancer (docs/models/load-balancing.md).
#include "sim/engine/action_take.hpp"
#include "sim/engine/dns.hpp"
#include "sim/engine/load_balancer.hpp"

namespace outagesim::engine {
namespace {

void set_failover(const ActionTake& run, bool enable) {
  if (run.action.record >= 0) run.context.dns().set_failover(world::index(run.a), enable);
  else run.context.load_balancers().set_failover(world::index(run.a), enable);
}

}  // namespace

template <>
int take(const ActionTake& run, const scenario::actions::DisableFailover&) {
  set_failover(run, false);
  return -1;
}

template <>
int take(const ActionTake& run, const scenario::actions::EnableFailover&) {
  set_failover(run, true);
  return -1;
}

}  // namespace outagesim::engine
