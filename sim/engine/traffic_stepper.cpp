#include "traffic_stepper.hpp"

#include "sim/world/traffic.hpp"

#include <cmath>

#include <simgrid/s4u/Actor.hpp>

namespace sg4 = simgrid::s4u;

namespace outagesim::engine {

void TrafficStepper::start() {
  const auto& world = context_.world();
  if (!world::traffic_has_memory(world)) return;
  running_ = true;
  spawn_daemon("traffic", context_.host(world.platform.hosts.front()), [this] {
    const double step_s = context_.world().traffic_step_s;
    // Steps at whole multiples of the step, so that sampling ticks (also
    // multiples of the resolution) see the same state whatever ran before.
    for (;;) {
      sg4::this_actor::sleep_until(static_cast<double>(next_step_) * step_s);
      step_through(context_.now());
    }
  });
}

void TrafficStepper::step_through(double t_s) {
  if (!running_) return;
  const double step_s = context_.world().traffic_step_s;
  // The same tolerance as the sampler's ticks: k x step computed two ways.
  while (static_cast<double>(next_step_) * step_s <= t_s + 1e-9 * step_s) {
    ++next_step_;
    step();
  }
}

void TrafficStepper::step() {
  auto& state = context_.state();
  state.now_s = context_.now();
  const auto& world = context_.world();
  const auto changes = world::advance_traffic(world, state);
  for (const auto& c : changes) {
    const std::string cause =
        c.cause >= 0 ? "fault:" + world.faults[static_cast<std::size_t>(c.cause)].id : std::string("overload");
    context_.emit(world::ServiceOverload{c.service, c.overloaded, c.wait_s, c.offered_rps, c.capacity_rps}, cause);
  }
}

}  // namespace outagesim::engine
