// One planned run in a forked child process: SimGrid allows one engine per
// process, and a run that crashes, hangs or eats memory must not take the
// sweep with it. The child starts from the parent's checked, in-memory base
// scenario (no file read, no exec), applies the run's values and seed, runs
// the engine, extracts the metrics and sends its journal line back through a
// pipe. Its stderr goes to an anonymous memory file whose tail the record
// keeps when the run fails. The parent enforces the timeout by killing it;
// the memory limit is the child's address space (RLIMIT_AS).
#pragma once

#include "prepared_sweep.hpp"
#include "run_record.hpp"

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace outagesim::experiment {

struct IsolationOptions {
  /// Non-empty: the child also writes the run's full run directory there.
  std::filesystem::path keep_dir;
};

/// A started child. Not copyable; finish() it exactly once.
class IsolatedRun {
 public:
  /// Forks the child; throws std::system_error when the system refuses.
  IsolatedRun(const PreparedSweep& sweep, const PlannedRun& run, const IsolationOptions& options = {});
  ~IsolatedRun();
  IsolatedRun(const IsolatedRun&) = delete;
  IsolatedRun& operator=(const IsolatedRun&) = delete;

  [[nodiscard]] std::size_t id() const { return id_; }
  /// The pipe the child writes its record to: poll it for input.
  [[nodiscard]] int result_fd() const { return result_fd_; }
  /// Seconds on the steady clock after which it is killed.
  [[nodiscard]] double deadline_s() const { return deadline_s_; }
  /// Reads what the child sent; true once it closed the pipe (it is ending).
  bool read_available();
  /// Kills the child (SIGKILL) because it passed its deadline.
  void kill_for_timeout();
  /// Waits for the child and returns its record.
  RunRecord finish();

 private:
  std::size_t id_;
  std::size_t metric_count_;
  pid_t pid_ = -1;
  int result_fd_ = -1;
  int stderr_fd_ = -1;
  double started_s_ = 0;
  double deadline_s_ = 0;
  bool timed_out_ = false;
  std::string received_;
};

/// Runs `run` in a child and waits for it.
RunRecord run_isolated(const PreparedSweep& sweep, const PlannedRun& run, const IsolationOptions& options = {});

/// Seconds on the steady clock.
double steady_now_s();

/// Exit code of a child whose allocation failed under the memory limit.
inline constexpr int child_exit_memory = 4;

}  // namespace outagesim::experiment
