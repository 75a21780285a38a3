#include "traffic.hpp"

#include "availability.hpp"

#include <algorithm>

namespace outagesim::world {
namespace {

/// Work below which a queue counts as drained.
constexpr double negligible_work = 1e-6;

/// Nothing left of an overload: no request waiting, no retry, lease or
/// backlog work pending, no user about to come back.
bool drained(const models::QueueState& q) {
  if (q.queued > negligible_work || q.pending > negligible_work || q.backlog > negligible_work ||
      q.waiting > negligible_work)
    return false;
  for (const auto& [step, rates] : q.retries)
    for (double rate : rates)
      if (rate > negligible_work) return false;
  return true;
}

}  // namespace

bool traffic_has_memory(const World& world) {
  return std::any_of(world.services.begin(), world.services.end(), [](const Service& s) { return s.has_memory(); });
}

int pressure_cause(const World& world, const WorldState& state, int service) {
  const auto& load = state.services[static_cast<std::size_t>(service)];
  // A surge presses only by the load it adds: one of factor 1 adds none.
  for (int surge : load.surges)
    if (surge_load_factor(world.faults[static_cast<std::size_t>(surge)]) > 1) return surge;
  for (int i : world.services[static_cast<std::size_t>(service)].instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if ((!instance.up || instance.capacity_factor < 1) && instance.cause_fault >= 0) return instance.cause_fault;
  }
  return load.backlog_cause;
}

std::vector<OverloadChange> advance_traffic(const World& world, WorldState& state) {
  std::vector<OverloadChange> changes;
  // Returning users load what they need from this step on.
  const std::vector<double> forwarded = returning_load(world, state);
  for (std::size_t s = 0; s < world.services.size(); ++s) state.services[s].forwarded_rps = forwarded[s];
  // Dependencies are evaluated on the state at the step's start, before any
  // queue moves, so the order of services does not matter.
  const std::vector<double> needs = dependency_availability(world, state);
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    const auto& spec = world.services[s];
    if (!spec.has_memory()) continue;
    auto& service = state.services[s];
    const int index = static_cast<int>(s);
    const models::QueueInputs in = queue_inputs(world, state, index, needs[s]);
    models::advance(spec.queue, service.queue, in);
    const models::QueueOutcome after = models::queue_outcome(spec.queue, service.queue, in, /*with_latency=*/false);
    // Once the queue has drained, the last episode's aftermath is over.
    if (!after.overloaded && drained(service.queue)) service.overload_cause = -1;
    if (after.overloaded == service.overloaded) continue;
    service.overloaded = after.overloaded;
    // An episode keeps the cause it started with: a metastable overload
    // outlives the fault that tipped it over. One that starts again before
    // the queue drained, with no fault pressing, is the same aftermath
    // (retries of the first) and keeps the first one's cause.
    if (after.overloaded) {
      const int cause = pressure_cause(world, state, index);
      if (cause >= 0) service.overload_cause = cause;
    }
    changes.push_back({index, after.overloaded, after.wait_s, after.offered_rps, in.capacity_rps,
                       service.overload_cause});
  }
  return changes;
}

double capacity_share(const World& world, const WorldState& state, int instance) {
  const auto& spec = world.instances[static_cast<std::size_t>(instance)];
  double total = 0, own = 0;
  for (int i : world.services[static_cast<std::size_t>(spec.service)].instances) {
    const auto& s = state.instances[static_cast<std::size_t>(i)];
    const double effective = s.up ? world.instances[static_cast<std::size_t>(i)].capacity_rps * s.capacity_factor : 0.0;
    total += effective;
    if (i == instance) own = effective;
  }
  return total > 0 ? own / total : 0.0;
}

void instance_went_down(const World& world, WorldState& state, int instance, double share) {
  const int service = world.instances[static_cast<std::size_t>(instance)].service;
  const auto& spec = world.services[static_cast<std::size_t>(service)];
  if (!spec.has_memory()) return;
  models::drop_share(spec.queue, state.services[static_cast<std::size_t>(service)].queue, share);
}

void instance_came_up(const World& world, WorldState& state, int instance, int fault) {
  const auto& spec = world.services[static_cast<std::size_t>(world.instances[static_cast<std::size_t>(instance)].service)];
  if (spec.warmup_from < 0) return;
  auto& backend = state.services[static_cast<std::size_t>(spec.warmup_from)];
  backend.queue.backlog += spec.warmup_requests;
  if (fault >= 0) backend.backlog_cause = fault;
}

}  // namespace outagesim::world
