// What a service's clients send, changed by its operators from then on
// (docs/models/traffic.md, "Demand that changes"): the load they send
// (change_demand), the share of first attempts the edge turns away
// (shed_at_edge) and the retry policy they follow (set_retry_policy). The
// queue model reads all three at each step; retries already in flight when
// the policy changes arrive as scheduled.
#include "sim/engine/action_take.hpp"

namespace outagesim::engine {
namespace {

world::ServiceState& service_of(const ActionTake& run) {
  return run.context.state().services[static_cast<std::size_t>(run.action.service)];
}

const models::RetryPolicy& declared_retry(const ActionTake& run) {
  return run.context.world().services[static_cast<std::size_t>(run.action.service)].queue.retry;
}

void report(const ActionTake& run) {
  const auto& service = service_of(run);
  const auto& retry = service.retry ? *service.retry : declared_retry(run);
  run.context.emit(world::ClientsChanged{run.action.service, service.demand_factor, service.turned_away,
                                         retry.max_retries, retry.budget},
                   run.cause);
}

}  // namespace

template <>
int take(const ActionTake& run, const scenario::actions::ChangeDemand& kind) {
  service_of(run).demand_factor = kind.factor;
  report(run);
  return -1;
}

template <>
int take(const ActionTake& run, const scenario::actions::ShedAtEdge& kind) {
  service_of(run).turned_away = kind.share;
  report(run);
  return -1;
}

/// The fields given replace those of the policy in force; the others stay.
template <>
int take(const ActionTake& run, const scenario::actions::SetRetryPolicy& kind) {
  auto& service = service_of(run);
  const auto& declared = declared_retry(run);
  models::RetryPolicy policy = service.retry.value_or(declared);
  if (kind.max_retries) policy.max_retries = *kind.max_retries;
  if (kind.backoff_base_s) policy.backoff_base_s = *kind.backoff_base_s;
  if (kind.backoff_max_s) policy.backoff_max_s = *kind.backoff_max_s;
  if (kind.jitter) policy.jitter = world::jitter_of(*kind.jitter);
  if (kind.budget) policy.budget = *kind.budget;
  if (policy == declared) service.retry.reset();
  else service.retry = policy;
  report(run);
  return -1;
}

}  // namespace outagesim::engine
