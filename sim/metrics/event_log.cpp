#include "event_log.hpp"

#include "sim/scenario/describe.hpp"
#include "sim/scenario/units.hpp"

#include <nlohmann/json.hpp>

namespace outagesim::metrics {

std::string EventLog::to_json_line(const world::Event& event, const world::WorldState& state) const {
  nlohmann::ordered_json j;
  j["t"] = event.t_s;
  j["time_utc"] = scenario::format_utc_timestamp(world_.start_epoch_s + event.t_s);
  auto version_label = [&](int v) { return state.versions[static_cast<std::size_t>(v)].label(world_); };
  // A fault starting or ending: the same fields under two kinds.
  auto fault_event = [&](const char* kind, int f, int version) {
    const auto& fault = world_.faults[static_cast<std::size_t>(f)];
    j["kind"] = kind;
    j["entity"] = fault.id;
    j["fault_kind"] = std::string(scenario::kind_name(fault.kind));
    if (fault.channel >= 0) j["channel"] = world_.channels[static_cast<std::size_t>(fault.channel)].id;
    if (version >= 0) j["version"] = version_label(version);
  };
  if (const auto* injected = std::get_if<world::FaultInjected>(&event.what)) {
    fault_event("fault_injected", injected->fault, injected->version);
  } else if (const auto* ended = std::get_if<world::FaultEnded>(&event.what)) {
    fault_event("fault_ended", ended->fault, ended->version);
  } else if (const auto* acted = std::get_if<world::OperatorActed>(&event.what)) {
    const auto& action = world_.actions[static_cast<std::size_t>(acted->action)];
    j["kind"] = "operator_action";
    j["entity"] = action.operator_name;
    j["action"] = std::string(scenario::kind_name(action.kind));
    if (action.channel >= 0) j["channel"] = world_.channels[static_cast<std::size_t>(action.channel)].id;
    if (action.service >= 0) j["service"] = world_.services[static_cast<std::size_t>(action.service)].id;
    if (action.from >= 0) j["from"] = world_.services[static_cast<std::size_t>(action.from)].id;
    if (action.to >= 0) j["to"] = world_.services[static_cast<std::size_t>(action.to)].id;
    if (acted->version >= 0) j["version"] = version_label(acted->version);
  } else if (const auto* published = std::get_if<world::ConfigPublished>(&event.what)) {
    j["kind"] = "config_published";
    j["entity"] = world_.channels[static_cast<std::size_t>(published->channel)].id;
    j["version"] = version_label(published->version);
    j["bad"] = state.versions[static_cast<std::size_t>(published->version)].bad();
  } else if (const auto* rejected = std::get_if<world::ConfigRejected>(&event.what)) {
    j["kind"] = "config_rejected";
    j["entity"] = world_.instances[static_cast<std::size_t>(rejected->instance)].id;
    j["channel"] = world_.channels[static_cast<std::size_t>(rejected->channel)].id;
    j["version"] = version_label(rejected->version);
  } else if (const auto* wave = std::get_if<world::RolloutWave>(&event.what)) {
    j["kind"] = "rollout_wave";
    j["entity"] = world_.channels[static_cast<std::size_t>(wave->channel)].id;
    j["version"] = version_label(wave->version);
    j["wave"] = wave->wave;
    j["share"] = wave->share;
  } else if (const auto* halted = std::get_if<world::RolloutHalted>(&event.what)) {
    j["kind"] = "rollout_halted";
    j["entity"] = world_.channels[static_cast<std::size_t>(halted->channel)].id;
    j["version"] = version_label(halted->version);
    j["by"] = halted->by_health_gate ? "health_gate" : "operator";
    j["rolled_back"] = halted->rolled_back;
    if (halted->by_health_gate) j["error_rate"] = halted->error_rate;
  } else if (const auto* detected = std::get_if<world::OperatorDetected>(&event.what)) {
    j["kind"] = "operator_detected";
    j["entity"] = world_.operators[static_cast<std::size_t>(detected->team)].name;
    j["rule"] = detected->rule;
    j["value"] = detected->value;
  } else if (const auto* diagnosed = std::get_if<world::OperatorDiagnosed>(&event.what)) {
    j["kind"] = "operator_diagnosed";
    j["entity"] = world_.operators[static_cast<std::size_t>(diagnosed->team)].name;
  } else if (const auto* changed = std::get_if<world::InstanceChanged>(&event.what)) {
    j["kind"] = "instance_changed";
    j["entity"] = world_.instances[static_cast<std::size_t>(changed->instance)].id;
    j["up"] = changed->up;
    j["capacity_factor"] = changed->capacity_factor;
    j["added_latency_s"] = changed->added_latency_s;
  } else if (const auto* service = std::get_if<world::ServiceChanged>(&event.what)) {
    j["kind"] = "service_changed";
    j["entity"] = world_.services[static_cast<std::size_t>(service->service)].id;
    j["admit"] = service->admit;
    j["load_factor"] = service->load_factor;
    j["capacity_scale"] = service->capacity_scale;
  } else if (const auto* overload = std::get_if<world::ServiceOverload>(&event.what)) {
    j["kind"] = "service_overload";
    j["entity"] = world_.services[static_cast<std::size_t>(overload->service)].id;
    j["overloaded"] = overload->overloaded;
    j["wait_s"] = overload->wait_s;
    j["offered_rps"] = overload->offered_rps;
    j["capacity_rps"] = overload->capacity_rps;
  } else if (const auto* applied = std::get_if<world::ConfigApplied>(&event.what)) {
    j["kind"] = "config_applied";
    j["entity"] = world_.instances[static_cast<std::size_t>(applied->instance)].id;
    j["channel"] = world_.channels[static_cast<std::size_t>(applied->channel)].id;
    j["version"] = version_label(applied->version);
    j["error_rate"] = applied->error_rate;
  } else if (const auto* rerouted = std::get_if<world::DependencyRerouted>(&event.what)) {
    j["kind"] = "dependency_rerouted";
    j["entity"] = world_.services[static_cast<std::size_t>(rerouted->service)].id;
    j["from"] = world_.services[static_cast<std::size_t>(rerouted->from)].id;
    j["to"] = world_.services[static_cast<std::size_t>(rerouted->to)].id;
  } else if (const auto* record = std::get_if<world::RecordChanged>(&event.what)) {
    j["kind"] = "record_changed";
    j["entity"] = world_.records[static_cast<std::size_t>(record->record)].id;
    j["answer"] = record->answer >= 0 ? nlohmann::ordered_json(world_.services[static_cast<std::size_t>(record->answer)].id)
                                      : nlohmann::ordered_json(nullptr);
    j["reason"] = world::reason_name(record->reason);
    if (record->client_region >= 0)
      j["client_region"] = world_.client_region_names[static_cast<std::size_t>(record->client_region)];
  } else if (const auto* lb = std::get_if<world::LoadBalancerChanged>(&event.what)) {
    j["kind"] = "load_balancer_changed";
    j["entity"] = world_.services[static_cast<std::size_t>(lb->service)].id;
    j["reason"] = world::reason_name(lb->reason);
    if (lb->instance >= 0) j["target"] = world_.instances[static_cast<std::size_t>(lb->instance)].id;
    if (lb->region >= 0) j["zone"] = world_.platform.regions[static_cast<std::size_t>(lb->region)].name;
    j["in_service"] = lb->in_service;
  }
  j["cause"] = event.cause;
  return j.dump();
}

void EventLog::on_event(const world::Event& event, const world::WorldState& state) {
  out_ << to_json_line(event, state) << '\n';
}

}  // namespace outagesim::metrics
