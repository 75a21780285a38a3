// The sweep's progress line on a terminal: runs done, failures, rate and an
// estimate of the time left. Wall-clock only, so it goes to the terminal and
// never into an output file.
#pragma once

#include <cstddef>
#include <ostream>

namespace outagesim::experiment {

class SweepProgress {
 public:
  SweepProgress(std::ostream& out, std::size_t total, std::size_t already_done, bool enabled);
  /// One more run finished at wall time now_s (steady clock seconds).
  void finished(bool failed, double now_s);
  /// Ends the line. Call once.
  void finish();

  static constexpr double period_s = 0.5;

 private:
  void print(double now_s);

  std::ostream& out_;
  std::size_t total_, done_, failed_ = 0, done_here_ = 0;
  bool enabled_;
  double started_s_ = -1, last_print_s_ = -1;
  std::size_t last_width_ = 0;
};

}  // namespace outagesim::experiment
