// Instance faults as timelines played by the fault's own actor: each sleeps
// to the next change and applies it to the WorldState, so that overlapping
// faults compose through the impairment lists rather than overwrite each other.
#include "instance_faults.hpp"

#include "config_channel.hpp"
#include "models/rng.hpp"
#include "sim/world/restart_effect.hpp"
#include "sim/world/traffic.hpp"

#include <algorithm>
#include <limits>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Link.hpp>

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
      if (down_cause == none) down_cause = i.fault;
    }
    if (i.capacity_factor < 1) {
      s.capacity_factor *= i.capacity_factor;
      if (capacity_cause == none) capacity_cause = i.fault;
    }
    if (i.added_latency_s > 0) {
      s.added_latency_s += i.added_latency_s;
      if (latency_cause == none) latency_cause = i.fault;
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
  const int was_held_by = s.cause_fault;
  const double share = world::capacity_share(context.world(), context.state(), instance);
  mutate(s.impairments);
  const bool changed = derive(s);
  if (was_up && !s.up) world::instance_went_down(context.world(), context.state(), instance, share);
  if (process_was_down && !process_down()) world::instance_came_up(context.world(), context.state(), instance, was_held_by);
  if (changed) context.emit(world::InstanceChanged{instance, s.up, s.capacity_factor, s.added_latency_s}, cause);
}

/// Whether fault `f` still impairs any of its instances.
bool holds_any(Context& context, int f) {
  const auto& instances = context.state().instances;
  for (int i : context.world().faults[static_cast<std::size_t>(f)].instances) {
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

void lift(Context& context, int instance, int fault, int action, const std::string& cause) {
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

void set_out_of_service(Context& context, int instance, bool out, int fault, const std::string& cause) {
  change(
      context, instance,
      [&](std::vector<world::Impairment>& all) {
        std::erase_if(all, [](const world::Impairment& i) { return i.out_of_service; });
        if (out) all.push_back({fault, -1, true, 1, 0, true});
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
  for (int i : wave.instances) {
    const double down_at = start + wave.jitter_s * rng.uniform();
    if (down_at >= end) continue;
    steps.push_back({down_at, i, false});
    steps.push_back({std::min(down_at + wave.down_s, end), i, true});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.t_s < b.t_s; });
  const world::Impairment restarting{wave.fault, wave.action, true, 1, 0};
  for (const auto& step : steps) {
    sg4::this_actor::sleep_until(step.t_s);
    if (step.up) {
      lift(context, step.instance, wave.fault, wave.action, wave.cause);
      continue;
    }
    std::vector<int> cleared;  // faults whose impairment this restart ended
    change(
        context, step.instance,
        [&](std::vector<world::Impairment>& all) {
          if (wave.fault < 0)
            std::erase_if(all, [&](const world::Impairment& i) {
              if (!world::restart_ends(context.world(), i)) return false;
              if (std::find(cleared.begin(), cleared.end(), i.fault) == cleared.end()) cleared.push_back(i.fault);
              return true;
            });
          all.push_back(restarting);
        },
        wave.cause);
    // A fault whose every impairment a restart ended is over (its effect is
    // gone), whatever its own timeline says.
    for (int f : cleared)
      if (!holds_any(context, f)) context.end_fault(f, wave.cause);
  }
}

InstanceFaults::InstanceFaults(Context& context) : context_(context) {
  cuts_.assign(context.world().platform.links.size(), 0);
}

void InstanceFaults::run(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  using scenario::FaultKind;
  switch (fault.kind) {
    case FaultKind::capacity_loss: return hold(f, fault.instances, {f, -1, false, fault.capacity_factor, 0});
    case FaultKind::latency_injection: return hold(f, fault.instances, {f, -1, false, 1, fault.latency_s});
    case FaultKind::route_withdrawal: return hold(f, in_regions(fault.regions, fault.provider), {f, -1, true, 1, 0});
    case FaultKind::crash: return crash(f);
    case FaultKind::crash_loop: return crash_loop(f);
    case FaultKind::restart: return restart(f);
    case FaultKind::load_surge: return load_surge(f);
    case FaultKind::partition: return partition(f);
    case FaultKind::bad_config_push:
    case FaultKind::dns_record_change: break;  // not instance faults
  }
}

/// The plain case: every instance takes `impairment` at the start and drops
/// it when the fault's duration ends (never, without one).
void InstanceFaults::hold(int f, const std::vector<int>& instances, const world::Impairment& impairment) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  context_.emit(world::FaultInjected{f, -1}, cause);
  for (int i : instances) impair(context_, i, impairment, cause);
  if (!fault.duration_s) return;
  sg4::this_actor::sleep_for(*fault.duration_s);
  for (int i : instances) lift(context_, i, f, -1, cause);
  context_.end_fault(f, cause);
}

/// Down until `down` has passed, or the duration ends, or an operator
/// restarts them; the fault ends with its duration, else when `down` has passed.
void InstanceFaults::crash(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  const double start = context_.now();
  context_.emit(world::FaultInjected{f, -1}, cause);
  for (int i : fault.instances) impair(context_, i, {f, -1, true, 1, 0}, cause);
  std::optional<double> back = fault.duration_s;
  if (fault.down_s > 0) back = std::min(fault.down_s, fault.duration_s.value_or(fault.down_s));
  if (!back) return;
  sg4::this_actor::sleep_until(start + *back);
  for (int i : fault.instances) lift(context_, i, f, -1, cause);
  sg4::this_actor::sleep_until(start + fault.duration_s.value_or(*back));
  context_.end_fault(f, cause);
}

/// In phase: down for `down`, up for `up`, from the start until the duration
/// ends (an instance down at the end comes back then), or forever.
void InstanceFaults::crash_loop(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  const double start = context_.now();
  const double end = fault.duration_s ? start + *fault.duration_s : std::numeric_limits<double>::infinity();
  const double cycle = fault.up_s + fault.down_s;
  context_.emit(world::FaultInjected{f, -1}, cause);
  for (long k = 0;; ++k) {
    const double down_at = start + static_cast<double>(k) * cycle;
    if (down_at >= end) break;
    sg4::this_actor::sleep_until(down_at);
    for (int i : fault.instances) impair(context_, i, {f, -1, true, 1, 0}, cause);
    sg4::this_actor::sleep_until(std::min(down_at + fault.down_s, end));
    for (int i : fault.instances) lift(context_, i, f, -1, cause);
  }
  sg4::this_actor::sleep_until(end);
  context_.end_fault(f, cause);
}

void InstanceFaults::restart(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  const double start = context_.now();
  context_.emit(world::FaultInjected{f, -1}, cause);
  std::optional<double> end;
  if (fault.duration_s) end = start + *fault.duration_s;
  play_restarts(context_, {fault.instances, fault.down_s > 0 ? fault.down_s : default_restart_s, fault.jitter_s,
                           "restart:" + fault.id, f, -1, end, cause});
  if (end) sg4::this_actor::sleep_until(*end);
  context_.end_fault(f, cause);
}

void InstanceFaults::load_surge(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  auto& surges = context_.state().services[static_cast<std::size_t>(fault.service)].surges;
  context_.emit(world::FaultInjected{f, -1}, cause);
  surges.push_back(f);
  set_load_factor(fault.service, cause);
  if (!fault.duration_s) return;
  sg4::this_actor::sleep_for(*fault.duration_s);
  surges.erase(std::find(surges.begin(), surges.end(), f));
  set_load_factor(fault.service, cause);
  context_.end_fault(f, cause);
}

void InstanceFaults::set_load_factor(int service, const std::string& cause) {
  auto& s = context_.state().services[static_cast<std::size_t>(service)];
  s.load_factor = 1;
  for (int g : s.surges) s.load_factor *= context_.world().faults[static_cast<std::size_t>(g)].load_factor;
  s.cause_fault = s.surges.empty() ? -1 : s.surges.front();
  context_.emit(world::ServiceChanged{service, s.admit, s.load_factor, s.capacity_scale}, cause);
}

/// The listed regions lose their backbone links to every other region: a
/// transfer between the two sides fails, in flight or not yet started, while
/// the regions inside still reach each other. Every instance inside is down
/// for clients. When it heals, each channel re-offers what its cut-off
/// consumers missed (ConfigChannel::resync).
void InstanceFaults::partition(int f) {
  const auto& fault = context_.world().faults[static_cast<std::size_t>(f)];
  const std::string cause = "fault:" + fault.id;
  const std::vector<int> links = boundary_links(fault.regions);
  const std::vector<int> instances = in_regions(fault.regions, "");
  auto& partitions = context_.state().partitions;
  partitions.push_back(f);  // before any report: client regions inside are cut off from the first event on
  context_.emit(world::FaultInjected{f, -1}, cause);
  cut(links, true);
  for (int i : instances) impair(context_, i, {f, -1, true, 1, 0}, cause);
  if (!fault.duration_s) return;
  sg4::this_actor::sleep_for(*fault.duration_s);
  partitions.erase(std::find(partitions.begin(), partitions.end(), f));
  cut(links, false);
  for (int i : instances) lift(context_, i, f, -1, cause);
  for (std::size_t c = 0; c < context_.world().channels.size(); ++c) context_.channel(static_cast<int>(c)).resync();
  context_.end_fault(f, cause);
}

void InstanceFaults::cut(const std::vector<int>& links, bool off) {
  for (int l : links) {
    int& cuts = cuts_[static_cast<std::size_t>(l)];
    const bool was_on = cuts == 0;
    cuts += off ? 1 : -1;
    if (was_on == (cuts == 0)) continue;
    sg4::Link* link = sg4::Link::by_name(context_.world().platform.links[static_cast<std::size_t>(l)].name);
    if (off) link->turn_off();
    else link->turn_on();
  }
}

/// Instances in `regions` (every region when empty), of `provider`'s
/// services only when a provider is given.
std::vector<int> InstanceFaults::in_regions(const std::vector<int>& regions, const std::string& provider) const {
  const auto& world = context_.world();
  std::vector<int> out;
  for (std::size_t i = 0; i < world.instances.size(); ++i) {
    const auto& instance = world.instances[i];
    if (!regions.empty() && std::find(regions.begin(), regions.end(), instance.region) == regions.end()) continue;
    if (!provider.empty() && world.services[static_cast<std::size_t>(instance.service)].provider != provider) continue;
    out.push_back(static_cast<int>(i));
  }
  return out;
}

/// Backbone links with one end inside `regions` and the other outside.
std::vector<int> InstanceFaults::boundary_links(const std::vector<int>& regions) const {
  const auto& platform = context_.world().platform;
  auto region_of = [&](const std::string& netpoint) {
    auto it = std::find(platform.routers.begin(), platform.routers.end(), netpoint);
    return it == platform.routers.end() ? -1 : static_cast<int>(it - platform.routers.begin());
  };
  auto inside = [&](int region) { return std::find(regions.begin(), regions.end(), region) != regions.end(); };
  std::vector<int> out;
  for (const auto& edge : platform.edges) {
    const int a = region_of(edge.from), b = region_of(edge.to);
    if (a >= 0 && b >= 0 && inside(a) != inside(b)) out.push_back(edge.link);
  }
  return out;
}

}  // namespace outagesim::engine
