// Fires the scenario's faults at their times. Each fault kind changes the
// world in its own way (a bad version through a channel, instances down,
// capacity lost...; fault_play.hpp), always inside simulated time and always
// reported as an event with the fault as its cause.
#pragma once

#include "context.hpp"
#include "fault_play.hpp"

namespace outagesim::engine {

class FaultInjector {
 public:
  explicit FaultInjector(Context& context) : context_(context), cuts_(context.world()) {}

  /// Spawns one actor per fault. Call before the run.
  void start();

 private:
  void inject(int fault);

  Context& context_;
  LinkCuts cuts_;
};

}  // namespace outagesim::engine
