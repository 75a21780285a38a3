#include "event_log.hpp"

#include "sim/scenario/units.hpp"

#include <nlohmann/json.hpp>

namespace outagesim::metrics {

std::string EventLog::to_json_line(const world::Event& event, const world::WorldState& state) const {
  nlohmann::ordered_json j;
  j["t"] = event.t_s;
  j["time_utc"] = scenario::format_utc_timestamp(world_.start_epoch_s + event.t_s);
  auto version_label = [&](int v) { return state.versions[static_cast<std::size_t>(v)].label(world_); };
  if (const auto* injected = std::get_if<world::FaultInjected>(&event.what)) {
    const auto& fault = world_.faults[static_cast<std::size_t>(injected->fault)];
    j["kind"] = "fault_injected";
    j["entity"] = fault.id;
    j["channel"] = world_.channels[static_cast<std::size_t>(fault.channel)].id;
    j["version"] = version_label(injected->version);
  } else if (const auto* ended = std::get_if<world::FaultEnded>(&event.what)) {
    const auto& fault = world_.faults[static_cast<std::size_t>(ended->fault)];
    j["kind"] = "fault_ended";
    j["entity"] = fault.id;
    j["channel"] = world_.channels[static_cast<std::size_t>(fault.channel)].id;
    j["version"] = version_label(ended->version);
  } else if (const auto* acted = std::get_if<world::OperatorActed>(&event.what)) {
    const auto& action = world_.actions[static_cast<std::size_t>(acted->action)];
    j["kind"] = "operator_action";
    j["entity"] = action.operator_name;
    j["action"] = "revert";
    j["channel"] = world_.channels[static_cast<std::size_t>(action.channel)].id;
    j["version"] = version_label(acted->version);
  } else if (const auto* applied = std::get_if<world::ConfigApplied>(&event.what)) {
    j["kind"] = "config_applied";
    j["entity"] = world_.instances[static_cast<std::size_t>(applied->instance)].id;
    j["channel"] = world_.channels[static_cast<std::size_t>(applied->channel)].id;
    j["version"] = version_label(applied->version);
    j["error_rate"] = applied->error_rate;
  }
  j["cause"] = event.cause;
  return j.dump();
}

void EventLog::on_event(const world::Event& event, const world::WorldState& state) {
  out_ << to_json_line(event, state) << '\n';
}

}  // namespace outagesim::metrics
