// A long run shows it is alive: a single self-overwriting line on a terminal
// with the simulated time reached, the wall time and the event rate. It reads
// the wall clock, so it writes only to the terminal, never to a run file.
#pragma once

#include "sim/world/observer.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>

namespace outagesim::metrics {

class Progress : public world::RunObserver {
 public:
  /// Seconds of wall time from an arbitrary origin.
  using WallClock = std::function<double()>;

  /// Disabled, it prints nothing at all (stderr is not a terminal).
  Progress(std::ostream& out, double duration_s, bool enabled, WallClock wall_clock = steady_seconds);

  void on_event(const world::Event& event, const world::WorldState& state) override;
  void on_sample(double t_s, const world::WorldState& state) override;

  /// Prints the last line and ends it with a newline. Call once, after the run.
  void finish();

  /// How often the line is rewritten, in wall seconds.
  static constexpr double period_s = 0.5;

  static double steady_seconds();

 private:
  void observed(double t_s, bool sample);
  void print(double now);

  std::ostream& out_;
  double duration_s_;
  bool enabled_;
  WallClock wall_clock_;
  double started_ = 0;
  double last_print_ = 0;
  double simulated_ = 0;
  std::uint64_t events_ = 0;
  std::size_t last_width_ = 0;
};

}  // namespace outagesim::metrics
