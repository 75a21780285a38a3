#include "config_reactions.hpp"

#include "config_channel.hpp"
#include "instance_faults.hpp"
#include "sim/world/config_effects.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

bool crashes(const world::ConfigEffect& effect) {
  return effect.on_load == scenario::OnLoad::crash || effect.on_load == scenario::OnLoad::crash_loop;
}

}  // namespace

ConfigReactions::ConfigReactions(Context& context) : context_(context) {
  const auto& instances = context.world().instances;
  crashed_.assign(instances.size(), false);
  reloading_.assign(instances.size(), false);
  generation_.assign(instances.size(), 0);
  cost_.resize(instances.size());
  for (std::size_t i = 0; i < instances.size(); ++i) cost_[i].assign(instances[i].consumes.size(), {1.0, 0.0});
}

bool ConfigReactions::refuses(int instance, int version) const {
  for (const auto* effect : world::applying_effects(context_.world(), context_.state(), instance, version))
    if (effect->on_load == scenario::OnLoad::refuse) return true;
  return false;
}

bool ConfigReactions::fails_on(int instance, int version) const {
  for (const auto* effect : world::applying_effects(context_.world(), context_.state(), instance, version))
    if (crashes(*effect) || (effect->on_load == scenario::OnLoad::serve && effect->error_rate > 0)) return true;
  return false;
}

void ConfigReactions::loaded(int instance) {
  const auto i = static_cast<std::size_t>(instance);
  if (reloading_[i]) return;  // the reload reacts once, to all its channels
  const long generation = ++generation_[i];
  const auto& world = context_.world();
  const auto& state = context_.state();
  const auto& consumes = world.instances[i].consumes;
  // Conditions tie channels together: a new version of one may start or end
  // the effect of another's, so every channel of the instance is looked at.
  for (std::size_t j = 0; j < consumes.size(); ++j) {
    const auto [c, k] = consumes[j];
    settle(instance, static_cast<int>(j),
           state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)]);
  }
  for (const auto& [c, k] : consumes) {
    const int version = state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)];
    for (const auto* effect : world::applying_effects(world, state, instance, version)) {
      if (!crashes(*effect)) continue;
      // Back from a crash onto a version that crashes it at once: it stays
      // down (the crash takes the place of the one it had), else it serves.
      clear_crashes(instance, state.versions[static_cast<std::size_t>(version)].origin, effect->up_s > 0 ? -1 : c);
      const auto& id = world.instances[i].id;
      spawn_daemon(fmt::format("config-crash:{}:{}", id, generation), context_.host(id),
                   [this, instance, c = c, version, effect, generation] {
                     crash(instance, c, version, *effect, generation);
                   });
      return;  // one crash at a time: the first channel's, in declaration order
    }
  }
  clear_crashes(instance, "", -1);
}

void ConfigReactions::clear_crashes(int instance, const std::string& cause, int except) {
  const auto& world = context_.world();
  const auto& state = context_.state();
  for (const auto& [c, k] : world.instances[static_cast<std::size_t>(instance)].consumes) {
    if (c == except) continue;
    const auto& all = state.instances[static_cast<std::size_t>(instance)].impairments;
    if (std::none_of(all.begin(), all.end(),
                     [c = c](const world::Impairment& x) { return x.config_channel == c && x.down; }))
      continue;
    // Caused by what it now runs of that channel, when no cause is given.
    const auto& v = state.versions[static_cast<std::size_t>(state.running[static_cast<std::size_t>(c)][static_cast<std::size_t>(k)])];
    set_config_impairment(context_, instance, c, true, std::nullopt, cause.empty() ? v.origin : cause);
  }
}

void ConfigReactions::settle(int instance, int j, int version) {
  const auto& world = context_.world();
  const auto& state = context_.state();
  double capacity_factor = 1, latency_s = 0;
  for (const auto* effect : world::applying_effects(world, state, instance, version)) {
    if (effect->on_load != scenario::OnLoad::serve) continue;
    capacity_factor *= effect->capacity_factor;
    latency_s += effect->added_latency_s;
  }
  auto& cost = cost_[static_cast<std::size_t>(instance)][static_cast<std::size_t>(j)];
  if (cost == std::pair{capacity_factor, latency_s}) return;
  cost = {capacity_factor, latency_s};
  const auto& v = state.versions[static_cast<std::size_t>(version)];
  const int channel = world.instances[static_cast<std::size_t>(instance)].consumes[static_cast<std::size_t>(j)].first;
  std::optional<world::Impairment> impairment;
  if (capacity_factor < 1 || latency_s > 0)
    impairment = world::Impairment{.fault = world::FaultIndex{v.fault},
                                   .capacity_factor = capacity_factor,
                                   .added_latency_s = latency_s,
                                   .config_channel = channel};
  set_config_impairment(context_, instance, channel, false, impairment, v.origin);
}

void ConfigReactions::crash(int instance, int channel, int version, const world::ConfigEffect& effect,
                            long generation) {
  const auto i = static_cast<std::size_t>(instance);
  if (effect.up_s > 0) sg4::this_actor::sleep_for(effect.up_s);
  if (generation_[i] != generation) return;  // it loaded something else meanwhile
  const auto& v = context_.state().versions[static_cast<std::size_t>(version)];
  const std::string cause = v.origin;
  crashed_[i] = true;
  set_config_impairment(context_, instance, channel, true,
                        world::Impairment{.fault = world::FaultIndex{v.fault}, .down = true, .config_channel = channel},
                        cause);
  if (effect.after_crash == scenario::AfterCrash::boot_loop) return;  // until an operator brings it back
  sg4::this_actor::sleep_for(effect.down_s.value_or(default_restart_s));
  if (generation_[i] != generation) return;  // an operator's restart brought it back first
  // It restarts: loads what it was sent, then is up unless that crashes it again.
  crashed_[i] = false;
  reload(instance);
}

void ConfigReactions::restarted(int instance) {
  const auto i = static_cast<std::size_t>(instance);
  ++generation_[i];
  crashed_[i] = false;
  reload(instance);
}

void ConfigReactions::reload(int instance) {
  const auto& id = context_.world().instances[static_cast<std::size_t>(instance)].id;
  spawn_daemon("config-reload:" + id, context_.host(id), [this, instance] {
    const auto i = static_cast<std::size_t>(instance);
    reloading_[i] = true;
    for (const auto& [c, k] : context_.world().instances[i].consumes) context_.channel(c).reload(k);
    reloading_[i] = false;
    loaded(instance);
  });
}

}  // namespace outagesim::engine
