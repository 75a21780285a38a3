// What each operator action kind does. OperatorTeams calls take() with the
// action's kind (std::visit) when a scripted action's time comes or a team
// has diagnosed a fault: one specialization per kind, each kind's in its own
// file under actions/ (the five channel actions, one concept, share one), so
// a kind without one does not link.
#pragma once

#include "context.hpp"

#include <string>

namespace outagesim::engine {

/// What one action is taken with.
struct ActionTake {
  Context& context;
  world::ActionIndex a;
  const world::Action& action;
  std::string cause;  ///< "operator:<team>"
};

/// What an action of kind `Kind` does, defined by the kind's file in actions/
/// as `template <> int take(const ActionTake&, const actions::X&)`; returns
/// the config version it published, or -1. A kind without one is an
/// undefined reference to `take<actions::X>` when outagesim links.
template <scenario::actions::Kind Kind>
int take(const ActionTake& run, const Kind& kind);

}  // namespace outagesim::engine
