// Steps the traffic (queues, retries in flight, leases) through simulated
// time, and reports each service's entries into and exits from overload as
// events. Runs only when some service has memory (world::traffic_has_memory).
#pragma once

#include "context.hpp"

namespace outagesim::engine {

class TrafficStepper {
 public:
  explicit TrafficStepper(Context& context) : context_(context) {}
  void start();

  /// Takes every traffic step due at or before `t_s` that has not been
  /// taken yet. The sampler calls it before each sample, so that a sample
  /// always sees the state after the step at its own instant, whichever of
  /// the two actors SimGrid wakes first when both are due at once.
  void step_through(double t_s);

 private:
  void step();
  Context& context_;
  bool running_ = false;
  long next_step_ = 0;  ///< index of the next step to take, at next_step_ x traffic_step_s
};

}  // namespace outagesim::engine
