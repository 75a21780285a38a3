#include "operator_team.hpp"

#include "action_take.hpp"
#include "control_plane.hpp"
#include "team_dependencies.hpp"

#include <variant>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

void OperatorTeams::start() {
  const auto& world = context_.world();
  // Operators act from the control plane of the provider they act on; their
  // actions are control-plane calls whose own network time is negligible
  // next to the rollouts they start.
  for (std::size_t a = 0; a < world.actions.size(); ++a) {
    if (!world.actions[a].at_s) continue;
    sg4::Host* desk = control_plane(context_, provider_acted_on(world, world.actions[a]));
    spawn_daemon(fmt::format("operator:{}:{}", world.actions[a].operator_name, a), desk, [this, a] {
      sg4::this_actor::sleep_until(*context_.world().actions[a].at_s);
      act_when_ready(static_cast<int>(a));
    });
  }
  for (std::size_t t = 0; t < world.operators.size(); ++t) {
    if (world.operators[t].detection.empty()) continue;
    // A team watches from the control plane of its first action's provider.
    std::string provider;
    for (const auto& action : world.actions)
      if (action.operator_index == static_cast<int>(t) && provider.empty()) provider = provider_acted_on(world, action);
    sg4::Host* desk = control_plane(context_, provider);
    spawn_daemon("detection:" + world.operators[t].name, desk, [this, t] { watch(static_cast<int>(t)); });
  }
}

/// Checks every rule at each tick; the first rule that has held for its
/// duration fires. The team hears of it after the reporting delay, diagnoses
/// for its diagnosis time, then takes its on-diagnosis actions in order.
/// Then it re-arms: once a tick finds no rule beyond its threshold (the
/// episode is over), the rules watch again, so that each episode is detected.
void OperatorTeams::watch(int t) {
  const auto& world = context_.world();
  const auto& team = world.operators[static_cast<std::size_t>(t)];
  TeamDependencies dependencies(context_, t);
  std::vector<double> beyond_since(team.detection.size(), -1);
  bool armed = true;
  for (double now = 0;; now += world.resolution_s) {
    sg4::this_actor::sleep_until(now);
    const world::Availability a = context_.availability();
    bool any_beyond = false;
    int fired = -1;
    double fired_value = 0;
    for (std::size_t r = 0; r < team.detection.size(); ++r) {
      const auto& rule = team.detection[r];
      const double availability = rule.service < 0 ? a.global : a.service[static_cast<std::size_t>(rule.service)];
      const double value = rule.metric == scenario::DetectionMetric::error_rate ? 1 - availability : availability;
      const bool beyond = rule.metric == scenario::DetectionMetric::error_rate ? value > rule.above : value < rule.above;
      if (!beyond) {
        beyond_since[r] = -1;
        continue;
      }
      any_beyond = true;
      if (beyond_since[r] < 0) beyond_since[r] = now;
      if (fired < 0 && armed && now - beyond_since[r] >= rule.for_s) {
        fired = static_cast<int>(r);
        fired_value = value;
      }
    }
    if (!any_beyond) armed = true;
    if (fired < 0) continue;
    armed = false;
    const std::string cause = "operator:" + team.name;
    const auto& rule = team.detection[static_cast<std::size_t>(fired)];
    dependencies.work_through(scenario::OperatorStage::detection, rule.reporting_delay_s);
    context_.emit(world::OperatorDetected{t, fired, fired_value}, cause);
    dependencies.work_through(scenario::OperatorStage::diagnosis, team.diagnosis_s);
    context_.emit(world::OperatorDiagnosed{t}, cause);
    dependencies.work_through(scenario::OperatorStage::actions, 0);
    for (std::size_t action = 0; action < world.actions.size(); ++action) {
      if (world.actions[action].operator_index != t || world.actions[action].at_s) continue;
      const int index = static_cast<int>(action);
      // An action with a condition waits on its own: the team goes on.
      if (world.actions[action].when_healthy >= 0)
        spawn_daemon(fmt::format("operator:{}:{}:when", team.name, action), sg4::this_actor::get_host(),
                     [this, index] { act_when_ready(index); });
      else act(index);
    }
    // Watch again from the first tick after the team is done.
    while (now + world.resolution_s <= context_.now()) now += world.resolution_s;
  }
}

void OperatorTeams::act_when_ready(int a) {
  const auto& action = context_.world().actions[static_cast<std::size_t>(a)];
  if (action.when_healthy >= 0) wait_until_healthy(context_, action.when_healthy, action.when_above, action.when_for_s);
  act(a);
}

void OperatorTeams::act(int a) {
  const auto& action = context_.world().actions[static_cast<std::size_t>(a)];
  const ActionTake run{context_, world::ActionIndex{a}, action, "operator:" + action.operator_name};
  const int version = std::visit([&run](const auto& kind) { return take(run, kind); }, action.kind);
  context_.emit(world::OperatorActed{a, version}, run.cause);
}

}  // namespace outagesim::engine
