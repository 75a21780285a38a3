// How a run reports what happens: the engine calls an observer; metrics,
// logs and tests implement it. Models never call it.
#pragma once

#include "events.hpp"
#include "state.hpp"

namespace outagesim::world {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// A state change, right after it was applied to `state`.
  virtual void on_event(const Event& event, const WorldState& state) = 0;
  /// The sampling clock ticked: t_s = k * resolution, k = 0, 1, ...
  virtual void on_sample(double t_s, const WorldState& state) = 0;
};

}  // namespace outagesim::world
