#include "progress.hpp"

#include "display_format.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

/// Reading the clock costs more than observing an event: look at every
/// sample, and every this many events.
constexpr std::uint64_t clock_every = 64;

/// "1h20m05s", "3m07s", "42s": whole seconds, so that the line does not flicker.
std::string duration_text(double t_s) { return duration(std::floor(t_s)); }

}  // namespace

double Progress::steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Progress::Progress(std::ostream& out, double duration_s, bool enabled, WallClock wall_clock)
    : out_(out), duration_s_(duration_s), enabled_(enabled), wall_clock_(std::move(wall_clock)) {
  if (enabled_) started_ = last_print_ = wall_clock_();
}

void Progress::on_event(const world::Event& event, const world::WorldState& /*state*/) { observed(event.t_s, false); }

void Progress::on_sample(double t_s, const world::WorldState& /*state*/) { observed(t_s, true); }

void Progress::observed(double t_s, bool sample) {
  if (!enabled_) return;
  ++events_;
  simulated_ = t_s;
  if (!sample && events_ % clock_every != 0) return;
  const double now = wall_clock_();
  if (now - last_print_ >= period_s) print(now);
}

void Progress::print(double now) {
  last_print_ = now;
  const double wall = now - started_;
  const double rate = wall > 0 ? static_cast<double>(events_) / wall : 0.0;
  const double share = duration_s_ > 0 ? simulated_ / duration_s_ * 100 : 100.0;
  std::string line = fmt::format("simulated {} of {} ({:.0f}%), wall {:.1f} s, {:.0f} events/s",
                                 duration_text(simulated_), duration_text(duration_s_), share, wall, rate);
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');  // wipe the end of a longer previous line
  last_width_ = width;
  out_ << '\r' << line << std::flush;
}

void Progress::finish() {
  if (!enabled_) return;
  print(wall_clock_());
  out_ << '\n' << std::flush;
}

}  // namespace outagesim::metrics
