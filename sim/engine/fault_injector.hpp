// Fires the scenario's faults at their times and, for transient ones, ends
// them after their duration. Each fault kind changes the world in its own way
// (a bad version through a channel, instances down, capacity lost...), always
// inside simulated time and always reported as an event with the fault as
// its cause.
#pragma once

#include "context.hpp"
#include "instance_faults.hpp"

namespace outagesim::engine {

class FaultInjector {
 public:
  explicit FaultInjector(Context& context) : context_(context), instance_faults_(context) {}

  /// Spawns one actor per fault. Call before the run.
  void start();

 private:
  void inject(int fault);
  void push_bad_version(int fault);

  Context& context_;
  InstanceFaults instance_faults_;
};

}  // namespace outagesim::engine
