// What each operator action kind does. OperatorTeams calls take() with the
// action's kind (std::visit) when a scripted action's time comes or a team
// has diagnosed a fault: one overload per kind, each kind's in its own file
// under actions/ (the five channel actions, one concept, share one), so a
// kind without one does not compile.
#pragma once

#include "context.hpp"

#include <string>

namespace outagesim::engine {

/// What one action is taken with.
struct ActionTake {
  Context& context;
  int a;  ///< index into world.actions
  const world::Action& action;
  std::string cause;  ///< "operator:<team>"
};

// Each returns the config version it published, or -1.
int take(const ActionTake& run, const scenario::actions::Revert& kind);
int take(const ActionTake& run, const scenario::actions::Rollback& kind);
int take(const ActionTake& run, const scenario::actions::StopChannel& kind);
int take(const ActionTake& run, const scenario::actions::PushLastKnownGood& kind);
int take(const ActionTake& run, const scenario::actions::KillSwitch& kind);
int take(const ActionTake& run, const scenario::actions::Throttle& kind);
int take(const ActionTake& run, const scenario::actions::ShedLoad& kind);
int take(const ActionTake& run, const scenario::actions::Restart& kind);
int take(const ActionTake& run, const scenario::actions::DisableFailover& kind);
int take(const ActionTake& run, const scenario::actions::EnableFailover& kind);
int take(const ActionTake& run, const scenario::actions::Scale& kind);
int take(const ActionTake& run, const scenario::actions::Reroute& kind);

}  // namespace outagesim::engine
