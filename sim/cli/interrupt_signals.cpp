#include "interrupt_signals.hpp"

namespace outagesim::cli {

namespace {
// A signal handler can reach nothing else: the one static of the CLI.
volatile std::sig_atomic_t received_signal = 0;

void raise_flag(int signal) { received_signal = signal; }
}  // namespace

InterruptSignals::InterruptSignals() {
  struct sigaction action {};
  action.sa_handler = raise_flag;
  sigemptyset(&action.sa_mask);
  // Restart interrupted reads and writes; reset to the default after the
  // first signal, so that a second one kills at once.
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &action, &saved_int_);
  sigaction(SIGTERM, &action, &saved_term_);
}

InterruptSignals::~InterruptSignals() {
  sigaction(SIGINT, &saved_int_, nullptr);
  sigaction(SIGTERM, &saved_term_, nullptr);
}

const volatile std::sig_atomic_t* InterruptSignals::flag() const { return &received_signal; }

int InterruptSignals::received() const { return received_signal; }

std::string signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "signal " + std::to_string(signal);
  }
}

int exit_code_for(int signal) { return 128 + signal; }

}  // namespace outagesim::cli
