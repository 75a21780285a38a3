#include "sweep_progress.hpp"

#include "run_isolated.hpp"

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

std::string duration_text(double s) {
  const auto whole = static_cast<long long>(s + 0.5);
  if (whole >= 3600) return fmt::format("{}h{:02}m", whole / 3600, (whole % 3600) / 60);
  if (whole >= 60) return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  return fmt::format("{}s", whole);
}

}  // namespace

SweepProgress::SweepProgress(std::ostream& out, std::size_t total, std::size_t already_done, bool enabled)
    : out_(out), total_(total), done_(already_done), enabled_(enabled), started_s_(steady_now_s()) {}

void SweepProgress::finished(bool failed, double now_s) {
  ++done_;
  ++done_here_;
  failed_ += failed;
  if (enabled_ && (last_print_s_ < 0 || now_s - last_print_s_ >= period_s)) print(now_s);
}

void SweepProgress::print(double now_s) {
  last_print_s_ = now_s;
  const double elapsed = now_s - started_s_;
  const double rate = elapsed > 0 ? static_cast<double>(done_here_) / elapsed : 0;
  const std::string eta = rate > 0 ? duration_text(static_cast<double>(total_ - done_) / rate) : "?";
  std::string line = fmt::format("sweep: {}/{} runs, {} failed, {:.1f} runs/s, {} left", done_, total_, failed_, rate, eta);
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  out_ << '\r' << line << std::flush;
}

void SweepProgress::finish() {
  if (!enabled_ || done_here_ == 0) return;
  print(steady_now_s());
  out_ << '\n' << std::flush;
}

}  // namespace outagesim::experiment
