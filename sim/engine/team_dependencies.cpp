#include "team_dependencies.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

namespace {
/// Times this close count as reached: an out-of-band time computed by a sum
/// may land a rounding error short of the clock that sleeps until it.
constexpr double reached_s = 1e-9;
}  // namespace

double next_tick(const world::World& world, double now_s) {
  const double tick = world.resolution_s;
  double next = std::floor(now_s / tick + reached_s) * tick + tick;
  if (next <= now_s) next += tick;
  return next;
}

TeamDependencies::TeamDependencies(Context& context, int team)
    : context_(context),
      team_(team),
      spec_(context.world().operators[static_cast<std::size_t>(team)]),
      held_since_(spec_.depends_on.size(), -1) {}

double TeamDependencies::slowdown_now(scenario::OperatorStage stage, std::vector<bool>& reported) {
  const world::Availability a = context_.availability();
  const double now = context_.now();
  double factor = 1;
  for (std::size_t d = 0; d < spec_.depends_on.size(); ++d) {
    const auto& dependency = spec_.depends_on[d];
    if (!dependency.holds(stage)) continue;
    if (a.service[static_cast<std::size_t>(dependency.service)] >= dependency.healthy_above) continue;
    if (held_since_[d] < 0) held_since_[d] = now;
    std::optional<double> out_of_band_at;
    if (dependency.out_of_band_s) out_of_band_at = held_since_[d] + *dependency.out_of_band_s;
    if (out_of_band_at && now >= *out_of_band_at - reached_s) continue;  // the other way in is up
    factor = std::max(factor, dependency.slowdown > 0 ? dependency.slowdown : std::numeric_limits<double>::infinity());
    if (reported[d]) continue;
    reported[d] = true;
    context_.emit(world::OperatorHeld{team_, dependency.service, stage, dependency.slowdown, out_of_band_at},
                  "operator:" + spec_.name);
  }
  return factor;
}

double TeamDependencies::next_change(double now) const {
  double next = next_tick(context_.world(), now);
  for (std::size_t d = 0; d < spec_.depends_on.size(); ++d) {
    const auto& dependency = spec_.depends_on[d];
    if (held_since_[d] < 0 || !dependency.out_of_band_s) continue;
    const double up = held_since_[d] + *dependency.out_of_band_s;
    if (up > now + reached_s) next = std::min(next, up);
  }
  return next;
}

void TeamDependencies::work_through(scenario::OperatorStage stage, double work_s) {
  const bool held = std::any_of(spec_.depends_on.begin(), spec_.depends_on.end(),
                                [stage](const world::TeamDependency& d) { return d.holds(stage); });
  if (!held) {
    // As a team without dependencies: its outputs do not move.
    if (work_s > 0) sg4::this_actor::sleep_for(work_s);
    return;
  }
  std::vector<bool> reported(spec_.depends_on.size(), false);
  // The work left when the current pace set in, and since when: the finish
  // is computed from there, so a pace held over many ticks adds no rounding.
  double remaining = work_s;
  double since = context_.now();
  double factor = slowdown_now(stage, reported);
  for (;;) {
    const double finish = std::isfinite(factor) ? since + remaining * factor : std::numeric_limits<double>::infinity();
    const double next = next_change(context_.now());
    if (finish <= next) {
      if (finish > context_.now()) sg4::this_actor::sleep_until(finish);
      return;
    }
    sg4::this_actor::sleep_until(next);
    const double now_factor = slowdown_now(stage, reported);
    if (now_factor == factor) continue;
    if (std::isfinite(factor)) remaining -= (next - since) / factor;
    since = next;
    factor = now_factor;
  }
}

void wait_until_healthy(Context& context, int service, double above, double for_s) {
  double healthy_since = -1;
  for (;;) {
    const double now = context.now();
    const bool healthy = context.availability().service[static_cast<std::size_t>(service)] >= above;
    if (!healthy) {
      healthy_since = -1;
    } else {
      if (healthy_since < 0) healthy_since = now;
      if (now - healthy_since >= for_s - reached_s) return;
    }
    sg4::this_actor::sleep_until(next_tick(context.world(), now));
  }
}

}  // namespace outagesim::engine
