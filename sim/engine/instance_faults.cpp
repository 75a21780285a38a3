// Instance faults are timelines played by the fault's own actor: each sleeps
// to the next change and applies it to the WorldState, so that overlapping
// faults compose through the impairment lists rather than overwrite each other.
#include "instance_faults.hpp"

#include "config_reactions.hpp"
#include "models/rng.hpp"
#include "sim/world/restart_effect.hpp"
#include "sim/world/traffic.hpp"

#include <algorithm>
#include <limits>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {
namespace {

/// Recomputes what clients see from the impairments: down if any holds it
/// down, capacity factors multiply, latencies add. The cause is the oldest
/// impairment behind the most severe effect. Returns whether `up`, the
/// capacity factor or the latency changed.
bool derive(world::InstanceState& s) {
  const bool up = s.up;
  const double capacity_factor = s.capacity_factor;
  const double latency = s.added_latency_s;
  constexpr int none = -2;
  int down_cause = none, capacity_cause = none, latency_cause = none;
  s.up = true;
  s.capacity_factor = 1;
  s.added_latency_s = 0;
  for (const auto& i : s.impairments) {
    if (i.down) {
      s.up = false;
      if (down_cause == none) down_cause = world::index(i.fault);
    }
    if (i.capacity_factor < 1) {
      s.capacity_factor *= i.capacity_factor;
      if (capacity_cause == none) capacity_cause = world::index(i.fault);
    }
    if (i.added_latency_s > 0) {
      s.added_latency_s += i.added_latency_s;
      if (latency_cause == none) latency_cause = world::index(i.fault);
    }
  }
  s.cause_fault = down_cause != none ? down_cause
                  : capacity_cause != none ? capacity_cause
                  : latency_cause != none ? latency_cause
                                          : -1;
  return s.up != up || s.capacity_factor != capacity_factor || s.added_latency_s != latency;
}

/// Applies `mutate` to the impairments of `instance`, then reports the change.
template <class Mutate>
void change(Context& context, int instance, Mutate mutate, const std::string& cause) {
  auto& s = context.state().instances[static_cast<std::size_t>(instance)];
  // A load balancer's removal takes traffic away but leaves the process
  // running: only a process that was down itself reloads (warms up) after.
  auto process_down = [&s] {
    return std::any_of(s.impairments.begin(), s.impairments.end(),
                       [](const world::Impairment& i) { return i.down && !i.out_of_service; });
  };
  const bool was_up = s.up;
  const bool process_was_down = process_down();
  int was_held_by = s.cause_fault;
  // Back from an operator's restart: the herd is the fault's it ended.
  for (const auto& i : s.impairments)
    if (was_held_by < 0 && i.remedies != world::FaultIndex::none) was_held_by = world::index(i.remedies);
  const double share = world::capacity_share(context.world(), context.state(), instance);
  mutate(s.impairments);
  const bool changed = derive(s);
  if (was_up && !s.up) world::instance_went_down(context.world(), context.state(), instance, share);
  if (!process_was_down && process_down()) world::instance_lost_memory(context.world(), context.state(), instance, share);
  if (process_was_down && !process_down()) world::instance_came_up(context.world(), context.state(), instance, was_held_by);
  if (changed) context.emit(world::InstanceChanged{instance, s.up, s.capacity_factor, s.added_latency_s}, cause);
}

/// Whether fault `f` still impairs any of its instances.
bool holds_any(Context& context, world::FaultIndex f) {
  const auto& instances = context.state().instances;
  for (int i : context.world().faults[world::at(f)].instances) {
    const auto& all = instances[static_cast<std::size_t>(i)].impairments;
    if (std::any_of(all.begin(), all.end(), [f](const world::Impairment& x) { return x.fault == f && !x.out_of_service; }))
      return true;
  }
  return false;
}

}  // namespace

void impair(Context& context, int instance, const world::Impairment& impairment, const std::string& cause) {
  change(context, instance, [&](std::vector<world::Impairment>& all) { all.push_back(impairment); }, cause);
}

void lift(Context& context, int instance, world::FaultIndex fault, world::ActionIndex action, const std::string& cause) {
  change(
      context, instance,
      [&](std::vector<world::Impairment>& all) {
        auto it = std::find_if(all.begin(), all.end(), [&](const world::Impairment& i) {
          return i.fault == fault && i.action == action && !i.out_of_service;
        });
        if (it != all.end()) all.erase(it);
      },
      cause);
}

void set_config_impairment(Context& context, int instance, int channel, bool down,
                           const std::optional<world::Impairment>& impairment, const std::string& cause) {
  change(
      context, instance,
      [&](std::vector<world::Impairment>& all) {
        std::erase_if(all, [&](const world::Impairment& i) { return i.config_channel == channel && i.down == down; });
        if (impairment) all.push_back(*impairment);
      },
      cause);
}

void set_out_of_service(Context& context, int instance, bool out, world::FaultIndex fault, const std::string& cause) {
  change(
      context, instance,
      [&](std::vector<world::Impairment>& all) {
        std::erase_if(all, [](const world::Impairment& i) { return i.out_of_service; });
        if (out) all.push_back({.fault = fault, .down = true, .out_of_service = true});
      },
      cause);
}

void play_restarts(Context& context, const RestartWave& wave) {
  struct Step {
    double t_s;
    int instance;
    bool up;
  };
  const double start = context.now();
  const double end = wave.end_s.value_or(std::numeric_limits<double>::infinity());
  models::Rng rng(context.world().seed, wave.rng_key);
  std::vector<Step> steps;
  for (std::size_t k = 0; k < wave.instances.size(); ++k) {
    const int i = wave.instances[k];
    const double down_at = wave.at_s.empty() ? start + wave.jitter_s * rng.uniform() : wave.at_s[k];
    if (down_at >= end) continue;
    steps.push_back({down_at, i, false});
    steps.push_back({std::min(down_at + wave.down_s, end), i, true});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.t_s < b.t_s; });
  const world::Impairment restarting{.fault = wave.fault, .action = wave.action, .down = true};
  // A restart fault's wave stops when an operator ends the fault: the
  // instances restarting come back then, the restarts not begun are not taken.
  auto sleep_until = [&](double t_s) {
    if (wave.fault != world::FaultIndex::none) return context.fault_sleep_until(wave.fault, t_s);
    sg4::this_actor::sleep_until(t_s);
    return true;
  };
  std::vector<int> restarting_now;
  std::vector<int> reloading;  // back from a crash on a config version: they load when up
  for (const auto& step : steps) {
    if (!sleep_until(step.t_s)) {
      const std::string cause = context.ending_cause(wave.fault, wave.cause);
      for (int i : restarting_now) lift(context, i, wave.fault, wave.action, cause);
      return;
    }
    if (step.up) {
      lift(context, step.instance, wave.fault, wave.action, wave.cause);
      std::erase(restarting_now, step.instance);
      if (std::erase(reloading, step.instance) > 0) context.config_reactions().restarted(step.instance);
      continue;
    }
    restarting_now.push_back(step.instance);
    std::vector<world::FaultIndex> cleared;  // faults whose impairment this restart ended
    world::FaultIndex remedied = world::FaultIndex::none;  // the first of them, or of the config crashes it ended
    bool config_crash = false;
    change(
        context, step.instance,
        [&](std::vector<world::Impairment>& all) {
          if (wave.fault == world::FaultIndex::none)
            std::erase_if(all, [&](const world::Impairment& i) {
              if (!world::restart_ends(context.world(), i)) return false;
              if (remedied == world::FaultIndex::none) remedied = i.fault;
              // A crash on a config version ends with the version, not with the restart.
              if (i.config_channel >= 0) config_crash = true;
              else if (std::find(cleared.begin(), cleared.end(), i.fault) == cleared.end()) cleared.push_back(i.fault);
              return true;
            });
          world::Impairment restart = restarting;
          restart.remedies = remedied;
          all.push_back(restart);
        },
        wave.cause);
    if (config_crash) reloading.push_back(step.instance);
    // A fault whose every impairment a restart ended is over (its effect is
    // gone), whatever its own timeline says.
    for (world::FaultIndex f : cleared)
      if (!holds_any(context, f)) context.end_fault(f, wave.cause);
  }
}

void hold(const FaultPlay& run, const std::vector<int>& instances, const world::Impairment& impairment) {
  run.context.emit(world::FaultInjected{world::index(run.f), -1}, run.cause);
  for (int i : instances) impair(run.context, i, impairment, run.cause);
  if (!run.wait_out()) return;
  for (int i : instances) lift(run.context, i, run.f, world::ActionIndex::none, run.ending_cause());
  run.context.end_fault(run.f, run.ending_cause());
}

std::vector<int> instances_in_regions(const world::World& world, const std::vector<int>& regions,
                                      const std::string& provider) {
  std::vector<int> out;
  for (std::size_t i = 0; i < world.instances.size(); ++i) {
    const auto& instance = world.instances[i];
    if (!regions.empty() && std::find(regions.begin(), regions.end(), instance.region) == regions.end()) continue;
    if (!provider.empty() && world.services[static_cast<std::size_t>(instance.service)].provider != provider) continue;
    out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace outagesim::engine
