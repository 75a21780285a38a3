#include "traffic.hpp"

#include "availability.hpp"

#include "models/look_aside_cache.hpp"

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
  return !world.look_asides.empty() ||
         std::any_of(world.services.begin(), world.services.end(), [](const Service& s) { return s.has_memory(); });
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
  if (load.miss_rps > negligible_work && load.miss_cause >= 0) return load.miss_cause;
  return load.backlog_cause;
}

std::vector<OverloadChange> advance_traffic(const World& world, WorldState& state) {
  std::vector<OverloadChange> changes;
  // Returning users load what they need from this step on.
  const std::vector<double> forwarded = returning_load(world, state);
  for (std::size_t s = 0; s < world.services.size(); ++s) state.services[s].forwarded_rps = forwarded[s];
  // Dependencies are evaluated on the state at the step's start, before any
  // queue moves, so the order of services does not matter.
  std::vector<double> needs;
  const auto outcomes = service_outcomes(world, state, needs);
  if (!world.look_asides.empty()) {
    std::vector<double> availability;
    availability.reserve(outcomes.size());
    for (const auto& o : outcomes) availability.push_back(o.availability);
    advance_caches(world, state, availability, world.traffic_step_s);
  }
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    const auto& spec = world.services[s];
    if (!spec.has_memory()) continue;
    auto& service = state.services[s];
    const int index = static_cast<int>(s);
    const models::QueueInputs in = queue_inputs(world, state, index, needs[s]);
    models::advance(spec.queue, service.queue, in);
    const models::QueueOutcome after = models::queue_outcome(spec.queue, service.queue, in, /*with_latency=*/false);
    service.stepped_availability = after.availability;
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

double dns_answered_share(const World& world, const WorldState& state, int authority, double availability_now) {
  // Answering nothing now is unreachable (engine::unreachable_at_or_below), whatever the last step met.
  if (availability_now <= 1e-9) return availability_now;
  return world.services[static_cast<std::size_t>(authority)].has_memory()
             ? state.services[static_cast<std::size_t>(authority)].stepped_availability
             : availability_now;
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

void instance_lost_memory(const World& world, WorldState& state, int instance, double share) {
  const int service = world.instances[static_cast<std::size_t>(instance)].service;
  if (!world.services[static_cast<std::size_t>(service)].is_cache()) return;
  flush_cache(state, service, share, state.instances[static_cast<std::size_t>(instance)].cause_fault);
}

void flush_cache(WorldState& state, int service, double share, int fault) {
  auto& cache = state.services[static_cast<std::size_t>(service)];
  cache.cache_fill = models::flushed(cache.cache_fill, share);
  if (fault >= 0) cache.cache_cause = fault;
}

namespace {

/// The fault behind what a cache misses now: the one that emptied its
/// content while it refills, else one that holds an instance of it down or
/// short of capacity; -1 if none.
int cache_cause(const World& world, const WorldState& state, int cache) {
  const auto& c = state.services[static_cast<std::size_t>(cache)];
  if (c.cache_fill < 1 && c.cache_cause >= 0) return c.cache_cause;
  for (int i : world.services[static_cast<std::size_t>(cache)].instances) {
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if ((!instance.up || instance.capacity_factor < 1) && instance.cause_fault >= 0) return instance.cause_fault;
  }
  return -1;
}

}  // namespace

void advance_caches(const World& world, WorldState& state, const std::vector<double>& availability, double dt_s) {
  const double demand = demand_factor(world, state.now_s);
  std::vector<double> misses(world.services.size(), 0.0), answered(world.services.size(), 0.0);
  for (auto& s : state.services) {
    s.miss_rps = 0;
    s.miss_cause = -1;
  }
  for (const auto& l : world.look_asides) {
    const auto c = static_cast<std::size_t>(l.cache);
    const double cache = availability[c];
    const double hit = l.hit_rate * state.services[c].cache_fill;
    // The reader's reads follow the day, its surges and its operators' demand changes.
    const auto& reader = state.services[static_cast<std::size_t>(l.reader)];
    const double reads = l.reads_rps * demand * reader.load_factor * reader.demand_factor;
    const auto split = models::split_reads(reads, hit, cache);
    // The static load holds the misses of a warm, working cache; the rest is added here.
    const double extra = split.misses_rps - reads * (1.0 - l.hit_rate);
    auto& store = state.services[static_cast<std::size_t>(l.store)];
    if (extra > 0) {
      store.miss_rps += extra;
      if (store.miss_cause < 0) store.miss_cause = cache_cause(world, state, l.cache);
    }
    // Misses the store answers are written back, through the cache's own answers.
    misses[c] += split.misses_rps;
    answered[c] += split.misses_rps * availability[static_cast<std::size_t>(l.store)] * cache;
  }
  for (std::size_t c = 0; c < world.services.size(); ++c) {
    if (!world.services[c].is_cache()) continue;
    auto& cache = state.services[c];
    const double written_back = cache.cache_holds > 0 ? 0.0 : misses[c] > 0 ? answered[c] / misses[c] : availability[c];
    cache.cache_fill = models::refill(cache.cache_fill, dt_s, world.services[c].cache_refill_s, written_back);
  }
}

void instance_came_up(const World& world, WorldState& state, int instance, int fault) {
  const auto& spec = world.services[static_cast<std::size_t>(world.instances[static_cast<std::size_t>(instance)].service)];
  if (spec.warmup_from < 0) return;
  auto& backend = state.services[static_cast<std::size_t>(spec.warmup_from)];
  backend.queue.backlog += spec.warmup_requests;
  if (fault >= 0) backend.backlog_cause = fault;
}

}  // namespace outagesim::world
