// Operators at run time: scripted actions at their times (replays), and the
// operator model for what-ifs: detection rules watched at the sampling
// resolution, a reporting delay, a diagnosis time, then the actions marked
// `on_diagnosis`.
#pragma once

#include "context.hpp"

namespace outagesim::engine {

class OperatorTeams {
 public:
  explicit OperatorTeams(Context& context) : context_(context) {}

  /// Spawns the scripted actions and one watcher per team with detection rules.
  void start();

 private:
  void watch(int team);
  /// Takes the action once its `when` condition holds (at once without one).
  void act_when_ready(int action);
  void act(int action);

  Context& context_;
};

}  // namespace outagesim::engine
