#include "config_effects.hpp"

#include "models/config_reaction.hpp"

#include <algorithm>

namespace outagesim::world {
namespace {

/// What `instance` runs of `channel`, or nullptr when it does not consume it.
const ConfigVersion* running_on(const World& world, const WorldState& state, int instance, int channel) {
  for (const auto& [c, k] : world.instances[static_cast<std::size_t>(instance)].consumes)
    if (c == channel)
      return &state.versions[static_cast<std::size_t>(state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)])];
  return nullptr;
}

bool holds(const ConfigEffect::Condition& condition, const ConfigVersion& version) {
  switch (condition.running) {
    case ConfigEffect::Running::good: return !version.bad();
    case ConfigEffect::Running::bad: return version.bad();
    case ConfigEffect::Running::fault: return version.fault == condition.fault;
  }
  return false;
}

}  // namespace

bool applies(const World& world, const WorldState& state, int instance, const ConfigEffect& effect) {
  const auto& consumer = world.instances[static_cast<std::size_t>(instance)];
  if (consumer.service != effect.service || consumer.variant != effect.variant) return false;
  return std::all_of(effect.when.begin(), effect.when.end(), [&](const ConfigEffect::Condition& condition) {
    const ConfigVersion* version = running_on(world, state, instance, condition.channel);
    return version != nullptr && holds(condition, *version);
  });
}

std::vector<const ConfigEffect*> applying_effects(const World& world, const WorldState& state, int instance,
                                                  int version) {
  std::vector<const ConfigEffect*> out;
  const auto& v = state.versions[static_cast<std::size_t>(version)];
  if (v.effects == nullptr) return out;
  for (const auto& effect : *v.effects)
    if (applies(world, state, instance, effect)) out.push_back(&effect);
  return out;
}

double config_error_rate(const World& world, const WorldState& state, int channel, int k) {
  const auto c = static_cast<std::size_t>(channel);
  const auto& version = state.versions[static_cast<std::size_t>(state.running[c][static_cast<std::size_t>(k)])];
  const int instance = world.channels[c].consumers[static_cast<std::size_t>(k)];
  const auto& consumer = world.instances[static_cast<std::size_t>(instance)];
  // The plain rates by variant are the channel's first consumer service's.
  double rate = consumer.service == world.channels[c].service
                    ? models::error_rate_after_apply(version.error_rate_by_variant, consumer.variant)
                    : 0.0;
  if (version.effects == nullptr) return rate;
  for (const auto& effect : *version.effects)
    if (effect.on_load == scenario::OnLoad::serve && effect.error_rate > 0 && applies(world, state, instance, effect))
      rate = std::min(1.0, rate + effect.error_rate * effect.traffic_share);
  return rate;
}

double config_segment_error_rate(const World& world, const WorldState& state, int channel, int k, int segment) {
  const auto c = static_cast<std::size_t>(channel);
  const auto& version = state.versions[static_cast<std::size_t>(state.running[c][static_cast<std::size_t>(k)])];
  const int instance = world.channels[c].consumers[static_cast<std::size_t>(k)];
  const auto& consumer = world.instances[static_cast<std::size_t>(instance)];
  const auto& rates = version.segment_error_rates;
  double rate = consumer.service == world.channels[c].service && !rates.empty()
                    ? rates[static_cast<std::size_t>(consumer.variant)][static_cast<std::size_t>(segment)]
                    : 0.0;
  if (version.effects == nullptr) return rate;
  for (const auto& effect : *version.effects)
    if (effect.on_load == scenario::OnLoad::serve && effect.error_rate > 0 &&
        (effect.segment < 0 || effect.segment == segment) && applies(world, state, instance, effect))
      rate = std::min(1.0, rate + effect.error_rate);
  return rate;
}

namespace {

/// Calls `visit(version, effect)` for each serve effect with failing health
/// checks that applies to `instance`, over every channel it consumes.
template <class Visit>
void for_each_health_check_effect(const World& world, const WorldState& state, int instance, Visit visit) {
  for (const auto& [c, k] : world.instances[static_cast<std::size_t>(instance)].consumes) {
    if (static_cast<std::size_t>(c) >= state.running.size()) continue;
    const int v = state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)];
    for (const ConfigEffect* effect : applying_effects(world, state, instance, v))
      if (effect->on_load == scenario::OnLoad::serve && effect->health_check_error_rate > 0)
        visit(state.versions[static_cast<std::size_t>(v)], *effect);
  }
}

}  // namespace

double config_health_check_error_rate(const World& world, const WorldState& state, int instance) {
  double passes = 1.0;
  for_each_health_check_effect(world, state, instance, [&](const ConfigVersion&, const ConfigEffect& effect) {
    passes *= 1.0 - std::clamp(effect.health_check_error_rate, 0.0, 1.0);
  });
  return 1.0 - passes;
}

int fault_failing_health_checks(const World& world, const WorldState& state, int instance) {
  int fault = -1;
  for_each_health_check_effect(world, state, instance, [&](const ConfigVersion& version, const ConfigEffect&) {
    if (fault < 0) fault = version.fault;
  });
  return fault;
}

}  // namespace outagesim::world
