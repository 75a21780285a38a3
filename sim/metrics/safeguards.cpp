#include "safeguards.hpp"

#include "display_format.hpp"

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

std::optional<std::size_t> find(const std::vector<SafeguardOutcome>& safeguards, SafeguardKind kind,
                                const std::string& entity) {
  for (std::size_t i = 0; i < safeguards.size(); ++i)
    if (safeguards[i].kind == kind && safeguards[i].entity == entity) return i;
  return std::nullopt;
}

}  // namespace

std::vector<SafeguardOutcome> declared_safeguards(const world::World& world) {
  std::vector<SafeguardOutcome> out;
  for (const auto& r : world.records)
    if (r.secondary >= 0 && r.health_check) out.push_back({SafeguardKind::dns_failover, r.id, {}});
  for (const auto& s : world.services) {
    if (!s.load_balancer) continue;
    out.push_back({SafeguardKind::load_balancer_failover, s.id, {}});
    if (s.load_balancer->zone_failover_below > 0) out.push_back({SafeguardKind::zone_failover, s.id, {}});
  }
  for (const auto& c : world.channels)
    if (c.rollout.health_gate) out.push_back({SafeguardKind::health_gate, c.id, {}});
  for (const auto& team : world.operators)
    if (!team.detection.empty()) out.push_back({SafeguardKind::detection, team.name, {}});
  return out;
}

std::optional<std::size_t> triggered_by(const world::World& world, const std::vector<SafeguardOutcome>& safeguards,
                                        const world::EventWhat& event) {
  auto at = [](const auto& list, int index) -> const auto& { return list[static_cast<std::size_t>(index)]; };
  if (const auto* changed = std::get_if<world::RecordChanged>(&event)) {
    if (changed->reason == world::RecordChangeReason::failover)
      return find(safeguards, SafeguardKind::dns_failover, at(world.records, changed->record).id);
  } else if (const auto* lb = std::get_if<world::LoadBalancerChanged>(&event)) {
    if (lb->reason == world::LoadBalancerChangeReason::target_unhealthy)
      return find(safeguards, SafeguardKind::load_balancer_failover, at(world.services, lb->service).id);
    if (lb->reason == world::LoadBalancerChangeReason::zone_withdrawn)
      return find(safeguards, SafeguardKind::zone_failover, at(world.services, lb->service).id);
  } else if (const auto* halted = std::get_if<world::RolloutHalted>(&event)) {
    if (halted->by_health_gate) return find(safeguards, SafeguardKind::health_gate, at(world.channels, halted->channel).id);
  } else if (const auto* detected = std::get_if<world::OperatorDetected>(&event)) {
    return find(safeguards, SafeguardKind::detection, at(world.operators, detected->team).name);
  }
  return std::nullopt;
}

void SafeguardLog::on_event(const world::Event& event, const world::WorldState&) {
  if (auto i = triggered_by(world_, safeguards_, event.what)) safeguards_[*i].triggered_at.push_back(event.t_s);
}

const char* safeguard_kind_text(SafeguardKind kind) {
  switch (kind) {
    case SafeguardKind::dns_failover: return "DNS failover";
    case SafeguardKind::load_balancer_failover: return "load-balancer failover";
    case SafeguardKind::zone_failover: return "zone failover";
    case SafeguardKind::health_gate: return "health gate";
    case SafeguardKind::detection: return "detection";
  }
  return "";
}

const char* safeguard_kind_name(SafeguardKind kind) {
  switch (kind) {
    case SafeguardKind::dns_failover: return "dns_failover";
    case SafeguardKind::load_balancer_failover: return "load_balancer_failover";
    case SafeguardKind::zone_failover: return "zone_failover";
    case SafeguardKind::health_gate: return "health_gate";
    case SafeguardKind::detection: return "detection";
  }
  return "";
}

std::string safeguard_triggers_text(double start_epoch_s, const SafeguardOutcome& s) {
  if (s.triggered_at.empty()) return "never triggered";
  const std::string first = time_in_run(start_epoch_s, s.triggered_at.front());
  if (s.triggered_at.size() == 1) return "triggered at " + first;
  return fmt::format("triggered {} times, first at {}", s.triggered_at.size(), first);
}

std::string safeguard_key(const SafeguardOutcome& s) { return std::string(safeguard_kind_name(s.kind)) + " " + s.entity; }

}  // namespace outagesim::metrics
