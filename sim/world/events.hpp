// Domain events: every state change of a run, with the time it happened and
// what caused it. Models and the engine emit them; the metrics collector and
// the event log observe them. Plain values, printable by the metrics stage.
#pragma once

#include <string>
#include <variant>

namespace outagesim::world {

/// A fault fired (for a bad push: its version left the publisher).
struct FaultInjected {
  int fault = -1;
  int version = -1;  ///< global version index it published
};

/// A transient fault ran its course (for a bad push: the good version was
/// published again).
struct FaultEnded {
  int fault = -1;
  int version = -1;  ///< global version index it published
};

/// An operator action was taken (for a revert: the good version it published).
struct OperatorActed {
  int action = -1;   ///< index into World::actions
  int version = -1;
};

/// A consumer applied a version and now behaves accordingly.
struct ConfigApplied {
  int channel = -1;
  int consumer = -1;  ///< position among the channel's consumers
  int instance = -1;
  int version = -1;
  double error_rate = 0;  ///< the instance's error rate after applying
};

struct Event {
  double t_s = 0;
  std::variant<FaultInjected, FaultEnded, OperatorActed, ConfigApplied> what;
  std::string cause;  ///< root cause: "fault:<id>" or "operator:<name>"
};

}  // namespace outagesim::world
