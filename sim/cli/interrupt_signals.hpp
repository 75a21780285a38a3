// SIGINT (Ctrl-C) and SIGTERM end a run early but cleanly: the handler only
// raises a flag, the engine's sampler sees it at its next tick and ends the
// run, and the run directory is written with "status": "interrupted"
// (docs/exit-codes.md). A second signal is not caught: it ends the process
// at once, for a run that does not stop soon enough.
#pragma once

#include <signal.h>

#include <csignal>
#include <string>

namespace outagesim::cli {

class InterruptSignals {
 public:
  /// Catches SIGINT and SIGTERM until destroyed.
  InterruptSignals();
  ~InterruptSignals();
  InterruptSignals(const InterruptSignals&) = delete;
  InterruptSignals& operator=(const InterruptSignals&) = delete;

  /// Non-zero (the signal's number) once a signal arrived; for engine::run.
  [[nodiscard]] const volatile std::sig_atomic_t* flag() const;
  /// The signal that arrived, or 0.
  [[nodiscard]] int received() const;

 private:
  struct sigaction saved_int_ {};
  struct sigaction saved_term_ {};
};

/// "SIGINT", "SIGTERM".
std::string signal_name(int signal);

/// 128 + the signal's number, as a shell reports a process killed by it:
/// 130 for SIGINT, 143 for SIGTERM.
int exit_code_for(int signal);

}  // namespace outagesim::cli
