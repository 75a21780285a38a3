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

 private:
  void step();
  Context& context_;
};

}  // namespace outagesim::engine
