// How each event type writes its keys (events.jsonl) and marks the report's
// timeline, in the order events.hpp declares them. The `kind`, `entity`,
// time and cause keys around them are written by metrics/event_log.cpp.
#include "events.hpp"

#include "sim/scenario/describe.hpp"

#include <fmt/format.h>

namespace outagesim::world {
namespace {

const std::string& channel_id(const EventContext& c, int channel) {
  return c.world.channels[static_cast<std::size_t>(channel)].id;
}
const std::string& service_id(const EventContext& c, int service) {
  return c.world.services[static_cast<std::size_t>(service)].id;
}
const std::string& instance_id(const EventContext& c, int instance) {
  return c.world.instances[static_cast<std::size_t>(instance)].id;
}
const std::string& team_name(const EventContext& c, int team) {
  return c.world.operators[static_cast<std::size_t>(team)].name;
}

/// A fault starting or ending: the same keys under two kinds.
void write_fault(EventFields& out, const EventContext& c, int f, int version) {
  const auto& fault = c.world.faults[static_cast<std::size_t>(f)];
  out.text("entity", fault.id);
  out.text("fault_kind", std::string(scenario::kind_name(fault.kind)));
  if (fault.channel >= 0) out.text("channel", channel_id(c, fault.channel));
  if (version >= 0) out.text("version", c.version_label(version));
}

}  // namespace

void FaultInjected::write(EventFields& out, const EventContext& c) const { write_fault(out, c, fault, version); }
std::optional<EventMarker> FaultInjected::marker(const EventContext& c) const {
  return EventMarker{"fault " + c.world.faults[static_cast<std::size_t>(fault)].id, MarkerKind::fault_start};
}

void FaultEnded::write(EventFields& out, const EventContext& c) const { write_fault(out, c, fault, version); }
std::optional<EventMarker> FaultEnded::marker(const EventContext& c) const {
  return EventMarker{"end of fault " + c.world.faults[static_cast<std::size_t>(fault)].id, MarkerKind::fault_end};
}

void OperatorActed::write(EventFields& out, const EventContext& c) const {
  const auto& a = c.world.actions[static_cast<std::size_t>(action)];
  out.text("entity", a.operator_name);
  out.text("action", std::string(scenario::kind_name(a.kind)));
  if (a.channel >= 0) out.text("channel", channel_id(c, a.channel));
  if (a.service >= 0) out.text("service", service_id(c, a.service));
  if (a.from >= 0) out.text("from", service_id(c, a.from));
  if (a.to >= 0) out.text("to", service_id(c, a.to));
  if (version >= 0) out.text("version", c.version_label(version));
}
std::optional<EventMarker> OperatorActed::marker(const EventContext& c) const {
  const auto& a = c.world.actions[static_cast<std::size_t>(action)];
  const std::string target = a.channel >= 0   ? channel_id(c, a.channel)
                             : a.service >= 0 ? service_id(c, a.service)
                                              : std::string{};
  return EventMarker{fmt::format("{}: {} {}", a.operator_name, scenario::kind_name(a.kind), target), MarkerKind::action};
}

void ConfigPublished::write(EventFields& out, const EventContext& c) const {
  out.text("entity", channel_id(c, channel));
  out.text("version", c.version_label(version));
  out.flag("bad", c.state.versions[static_cast<std::size_t>(version)].bad());
}

void ConfigApplied::write(EventFields& out, const EventContext& c) const {
  out.text("entity", instance_id(c, instance));
  out.text("channel", channel_id(c, channel));
  out.text("version", c.version_label(version));
  out.number("error_rate", error_rate);
}

void ConfigRejected::write(EventFields& out, const EventContext& c) const {
  out.text("entity", instance_id(c, instance));
  out.text("channel", channel_id(c, channel));
  out.text("version", c.version_label(version));
}

void RolloutWave::write(EventFields& out, const EventContext& c) const {
  out.text("entity", channel_id(c, channel));
  out.text("version", c.version_label(version));
  out.count("wave", wave);
  out.number("share", share);
}

void RolloutHalted::write(EventFields& out, const EventContext& c) const {
  out.text("entity", channel_id(c, channel));
  out.text("version", c.version_label(version));
  out.text("by", by_health_gate ? "health_gate" : "operator");
  out.flag("rolled_back", rolled_back);
  if (by_health_gate) out.number("error_rate", error_rate);
}
std::optional<EventMarker> RolloutHalted::marker(const EventContext& c) const {
  return EventMarker{fmt::format("{} rollout of {} halted{}", by_health_gate ? "health gate:" : "operator:",
                                 channel_id(c, channel), rolled_back ? " and rolled back" : ""),
                     MarkerKind::action};
}

void OperatorDetected::write(EventFields& out, const EventContext& c) const {
  out.text("entity", team_name(c, team));
  out.count("rule", rule);
  out.number("value", value);
}
std::optional<EventMarker> OperatorDetected::marker(const EventContext& c) const {
  return EventMarker{team_name(c, team) + " detects", MarkerKind::action};
}

void OperatorDiagnosed::write(EventFields& out, const EventContext& c) const { out.text("entity", team_name(c, team)); }

void OperatorHeld::write(EventFields& out, const EventContext& c) const {
  out.text("entity", team_name(c, team));
  out.text("service", service_id(c, service));
  out.text("stage", std::string(scenario::enum_name(stage)));
  if (slowdown > 0) out.number("slowdown", slowdown);
  else out.null("slowdown");
  if (out_of_band_at) out.number("out_of_band_at", *out_of_band_at);
  else out.null("out_of_band_at");
}

void InstanceChanged::write(EventFields& out, const EventContext& c) const {
  out.text("entity", instance_id(c, instance));
  out.flag("up", up);
  out.number("capacity_factor", capacity_factor);
  out.number("added_latency_s", added_latency_s);
}

void ServiceChanged::write(EventFields& out, const EventContext& c) const {
  out.text("entity", service_id(c, service));
  out.number("admit", admit);
  out.number("load_factor", load_factor);
  out.number("capacity_scale", capacity_scale);
}

void ClientsChanged::write(EventFields& out, const EventContext& c) const {
  out.text("entity", service_id(c, service));
  out.number("demand_factor", demand_factor);
  out.number("turned_away", turned_away);
  out.count("max_retries", max_retries);
  if (retry_budget) out.number("retry_budget", *retry_budget);
  else out.null("retry_budget");
}

void ServiceOverload::write(EventFields& out, const EventContext& c) const {
  out.text("entity", service_id(c, service));
  out.flag("overloaded", overloaded);
  out.number("wait_s", wait_s);
  out.number("offered_rps", offered_rps);
  out.number("capacity_rps", capacity_rps);
}

void DependencyRerouted::write(EventFields& out, const EventContext& c) const {
  out.text("entity", service_id(c, service));
  out.text("from", service_id(c, from));
  out.text("to", service_id(c, to));
}

void RecordChanged::write(EventFields& out, const EventContext& c) const {
  out.text("entity", c.world.records[static_cast<std::size_t>(record)].id);
  if (answer >= 0)
    out.text("answer", service_id(c, answer));
  else
    out.null("answer");
  out.text("reason", reason_name(reason));
  if (client_region >= 0) out.text("client_region", c.world.client_region_names[static_cast<std::size_t>(client_region)]);
}

std::optional<EventMarker> RecordChanged::marker(const EventContext& c) const {
  if (reason != RecordChangeReason::failover) return std::nullopt;
  return EventMarker{"DNS failover: " + c.world.records[static_cast<std::size_t>(record)].id, MarkerKind::action};
}

void LoadBalancerChanged::write(EventFields& out, const EventContext& c) const {
  out.text("entity", service_id(c, service));
  out.text("reason", reason_name(reason));
  if (instance >= 0) out.text("target", instance_id(c, instance));
  if (region >= 0) out.text("zone", c.world.platform.regions[static_cast<std::size_t>(region)].name);
  out.count("in_service", in_service);
}
std::optional<EventMarker> LoadBalancerChanged::marker(const EventContext& c) const {
  if (reason != LoadBalancerChangeReason::zone_withdrawn) return std::nullopt;
  return EventMarker{fmt::format("zone failover: {} leaves {}", service_id(c, service),
                                 c.world.platform.regions[static_cast<std::size_t>(region)].name),
                     MarkerKind::action};
}

}  // namespace outagesim::world
