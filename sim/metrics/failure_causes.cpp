#include "failure_causes.hpp"

#include "sim/world/config_effects.hpp"
#include "sim/world/availability.hpp"

#include <algorithm>

namespace outagesim::metrics {
namespace {

constexpr double negligible = 1e-12;

/// Spreads `total` over `weights` in proportion to their shares.
void spread(std::vector<CausePart>& out, const std::vector<CausePart>& weights, double total) {
  double sum = 0;
  for (const auto& w : weights) sum += w.share;
  if (total <= 0) return;
  if (sum <= 0) {
    add_cause(out, -1, total);
    return;
  }
  for (const auto& w : weights) add_cause(out, w.fault, total * w.share / sum);
}

/// Capacity an instance lost, by cause: each active impairment in proportion
/// to what it takes alone (down: all, else 1 - its capacity factor).
void add_lost_capacity(const world::InstanceState& now, double lost, std::vector<CausePart>& out) {
  if (lost <= 0) return;
  std::vector<CausePart> takes;
  for (const auto& impairment : now.impairments)
    // An operator's restart that ended a fault is that fault's downtime too.
    add_cause(takes,
              world::index(impairment.fault != world::FaultIndex::none ? impairment.fault : impairment.remedies),
              impairment.down ? 1.0 : 1.0 - std::clamp(impairment.capacity_factor, 0.0, 1.0));
  if (takes.empty()) takes.push_back({now.cause_fault, 1.0});
  spread(out, takes, lost);
}

/// Load beyond the nominal capacity, by cause. The active surges are charged
/// only the load they add (`base` times their factors, minus `base`), each in
/// proportion to its own factor - 1; the excess that `base` alone already
/// puts beyond the capacity has no recorded cause.
void add_excess_load(const world::World& world, const world::ServiceState& load, double base, double excess,
                     std::vector<CausePart>& out) {
  if (excess <= 0) return;
  std::vector<CausePart> adds;
  for (int fault : load.surges)
    add_cause(adds, fault, world::surge_load_factor(world.faults[static_cast<std::size_t>(fault)]) - 1);
  const double added = std::clamp(base * (load.load_factor - 1), 0.0, excess);
  spread(out, adds, added);
  add_cause(out, -1, excess - added);
}

}  // namespace

void add_cause(std::vector<CausePart>& parts, int fault, double share) {
  if (share <= 0) return;
  for (auto& p : parts) {
    if (p.fault == fault) {
      p.share += share;
      return;
    }
  }
  parts.push_back({fault, share});
}

FailureCauses::FailureCauses(const world::World& world) : world_(world), consumes_(world.instances.size()) {
  for (std::size_t c = 0; c < world.channels.size(); ++c) {
    const auto& consumers = world.channels[c].consumers;
    for (std::size_t k = 0; k < consumers.size(); ++k)
      consumes_[static_cast<std::size_t>(consumers[k])].emplace_back(static_cast<int>(c), static_cast<int>(k));
  }
  services_.resize(world.services.size());
}

void FailureCauses::instance_error_causes(std::size_t instance, const world::WorldState& state,
                                          std::vector<CausePart>& parts) const {
  parts.clear();
  const auto& now = state.instances[instance];
  if (now.error_rate <= 0) return;
  // Config versions: each names the fault that produced it (or none).
  double healthy = 1;
  for (const auto& [channel, k] : consumes_[instance]) {
    if (static_cast<std::size_t>(channel) >= state.running.size()) continue;
    const int v = state.running[static_cast<std::size_t>(channel)][static_cast<std::size_t>(k)];
    const auto& version = state.versions[static_cast<std::size_t>(v)];
    const double rate = world::config_error_rate(world_, state, channel, k);
    healthy *= 1 - rate;
    add_cause(parts, version.fault, rate);
  }
  // Errors the versions do not explain come from the instance's own state.
  const double residual = now.error_rate - (1 - healthy);
  if (residual > negligible) add_cause(parts, now.cause_fault, residual);
  // Independent causes overlap; each keeps a part in proportion to its own rate.
  double sum = 0;
  for (const auto& p : parts) sum += p.share;
  for (auto& p : parts) p.share *= now.error_rate / sum;
}

const std::vector<std::vector<CausePart>>& FailureCauses::evaluate(const world::WorldState& state) {
  std::vector<CausePart> errors, lost, instance_parts;
  for (std::size_t s = 0; s < world_.services.size(); ++s) {
    const auto& spec = world_.services[s];
    auto& out = services_[s];
    out.clear();
    errors.clear();
    lost.clear();
    double nominal = 0, effective = 0, healthy = 0;
    for (int i : spec.instances) {
      const auto ii = static_cast<std::size_t>(i);
      const auto& now = state.instances[ii];
      const double capacity = world_.instances[ii].capacity_rps;
      const double usable = now.up ? capacity * std::clamp(now.capacity_factor, 0.0, 1.0) : 0.0;
      nominal += capacity;
      effective += usable;
      healthy += usable * (1 - now.error_rate);
      add_lost_capacity(now, capacity - usable, lost);
      if (usable <= 0) continue;
      instance_error_causes(ii, state, instance_parts);
      for (const auto& p : instance_parts) add_cause(errors, p.fault, usable * p.share);
    }
    const auto& load = state.services[s];
    if (effective <= 0) {
      spread(out, lost, 1.0);
      continue;
    }
    // availability = admit * quality * covered: split 1 - availability into
    // errors (1 - quality), missing capacity (quality * (1 - covered)) and
    // load refused by throttling (quality * covered * (1 - admit)).
    const double quality = healthy / effective;
    if (spec.has_memory()) {
      // Queues, retries and leases: what errors do not explain is lost to
      // capacity or load, now or (for an overload that outlived its
      // trigger) when the episode began.
      spread(out, errors, 1 - quality);
      const double pool = world::service_pool(world_, state, static_cast<int>(s));
      std::vector<CausePart> missing = lost;
      add_excess_load(world_, load, spec.offered_rps, spec.offered_rps * load.load_factor - nominal, missing);
      if (missing.empty()) {
        const int episode = load.overload_cause >= 0 ? load.overload_cause : load.backlog_cause;
        missing.push_back({episode, 1.0});
      }
      spread(out, missing, std::max(0.0, quality - pool));
      continue;
    }
    // A store's extra misses (its caches lost or flushed) are load its caches' fault added.
    const double misses = load.miss_rps * load.admit;
    const double offered = spec.offered_rps * load.load_factor * load.admit + misses;
    const double covered = offered > 0 ? std::min(1.0, effective / offered) : 1.0;
    spread(out, errors, 1 - quality);
    // Capacity is missing because instances lost it, or because the load grew beyond it.
    std::vector<CausePart> missing = lost;
    const double miss_excess = std::clamp(offered - nominal, 0.0, misses);
    add_excess_load(world_, load, spec.offered_rps * load.admit, offered - nominal - miss_excess, missing);
    add_cause(missing, load.miss_cause, miss_excess);
    spread(out, missing, quality * (1 - covered));
    add_cause(out, -1, quality * covered * (1 - load.admit));
  }
  return services_;
}

}  // namespace outagesim::metrics
