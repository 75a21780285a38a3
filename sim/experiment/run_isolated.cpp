#include "run_isolated.hpp"

#include "journal.hpp"
#include "metric_extraction.hpp"

#include "sim/engine/loaded_engine.hpp"
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/collector.hpp"
#include "sim/metrics/event_log.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/run_directory_commit.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <outagesim/version.hpp>

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <new>
#include <optional>
#include <system_error>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

namespace fs = std::filesystem;

/// How much of a failed run's stderr its record keeps.
constexpr std::size_t tail_bytes = 2000;

void write_fully(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

scenario::Scenario scenario_of(const PreparedSweep& sweep, const PlannedRun& run) {
  if (run.values.empty()) {  // a seed ensemble: the checked base, another seed; no YAML read again
    scenario::Scenario copy = sweep.base;
    copy.seed = run.seed;
    return copy;
  }
  return scenario::load_from_string(sweep.base_text, sweep.base_path, run_overrides(run));
}

/// A run that keeps no directory: it holds only the series the sweep's metrics read.
metrics::RunResult simulate(const world::World& world, const PreparedSweep& sweep) {
  metrics::Collector collector(world,
                               metrics::SeriesRetention::without_report(series_read_by(sweep.sweep.spec.metrics)));
  engine::loaded::run(world, collector);
  return collector.finish();
}

metrics::RunResult simulate_and_keep(const world::World& world, const PreparedSweep& sweep, const PlannedRun& run,
                                     const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<std::string> overrides;
  for (const auto& o : run_overrides(run)) overrides.push_back(o.path + "=" + o.value);
  const metrics::Provenance provenance{version, engine::loaded::simgrid_version(), sweep.base_path, sweep.base_hash, {},
                                       overrides, sweep.base.params};
  metrics::AtomicFile events(dir / "events.jsonl"), summary(dir / "summary.json"),
      timeseries(dir / metrics::timeseries_file_name(world.timeseries_compression)), attribution(dir / "attribution.csv"), report(dir / "report.html"),
      manifest(dir / "manifest.json");
  metrics::EventLog event_log(world, events.stream());
  metrics::TimeseriesWriter rows(timeseries.stream(), world.timeseries_compression, world.series_filters,
                                 world.start_epoch_s);
  metrics::Collector collector(
      world, metrics::SeriesRetention::with_report(series_read_by(sweep.sweep.spec.metrics)), &rows);
  metrics::ObserverPair observers(collector, event_log);
  engine::loaded::run(world, observers);
  metrics::RunResult result = collector.finish();
  metrics::write_summary_json(summary.stream(), result, provenance);
  rows.finish();
  metrics::write_attribution_csv(attribution.stream(), result);
  report.stream() << metrics::render_report_html(result, provenance);
  metrics::write_manifest_json(manifest.stream(), result, provenance);
  metrics::commit_run_directory(dir, {&events, &timeseries, &attribution, &report, &manifest}, summary);
  return result;
}

/// The child's whole life: never returns, never runs the parent's exit handlers.
[[noreturn]] void child_main(const PreparedSweep& sweep, const PlannedRun& run, const IsolationOptions& options,
                             int result_fd, int stderr_fd, pid_t parent) {
  // Out of the terminal's process group: Ctrl-C stops the sweep, whose end
  // then ends its children (PDEATHSIG), and no run is recorded as failed by it.
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the sweep died before prctl
  ::dup2(stderr_fd, STDERR_FILENO);
  ::dup2(stderr_fd, STDOUT_FILENO);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGPIPE, SIG_DFL);
  // SimGrid gives each actor a 256 KiB stack from malloc, above glibc's
  // mmap threshold: one mmap, a page-fault storm and one munmap per actor
  // (bench/README.md, "Sweeps"). From the heap they are reused instead.
  ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
#if !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer reserves terabytes of shadow memory at start
  const auto limit = static_cast<rlim_t>(sweep.sweep.spec.memory_limit_B);
  const rlimit address_space{limit, limit};
  ::setrlimit(RLIMIT_AS, &address_space);
#endif
  int code = 0;
  try {
    const scenario::Scenario scenario = scenario_of(sweep, run);
    const world::World world = world::build(scenario);
    const metrics::RunResult result =
        options.keep_dir.empty() ? simulate(world, sweep) : simulate_and_keep(world, sweep, run, options.keep_dir);
    RunRecord record{run.id, RunStatus::ok, extract_metrics(result, sweep.sweep.spec.metrics), {}, 0};
    write_fully(result_fd, journal_line(record));
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    code = 3;
  } catch (const std::bad_alloc&) {
    std::cerr << "outagesim: out of memory (the sweep's memory_limit)\n";
    code = child_exit_memory;
  } catch (const std::exception& e) {
    std::cerr << "outagesim: error: " << e.what() << '\n';
    code = 1;
  }
  std::cerr.flush();
  std::cout.flush();
  ::_exit(code);
}

std::string read_tail(int fd) {
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return {};
  const off_t from = size > static_cast<off_t>(tail_bytes) ? size - static_cast<off_t>(tail_bytes) : 0;
  std::string tail(static_cast<std::size_t>(size - from), '\0');
  const ssize_t n = ::pread(fd, tail.data(), tail.size(), from);
  tail.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  if (from > 0) {  // start on a whole line
    const auto newline = tail.find('\n');
    if (newline != std::string::npos) tail.erase(0, newline + 1);
  }
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  return tail;
}

}  // namespace

double steady_now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

IsolatedRun::IsolatedRun(const PreparedSweep& sweep, const PlannedRun& run, const IsolationOptions& options)
    : id_(run.id), metric_count_(sweep.sweep.spec.metrics.size()) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  stderr_fd_ = ::memfd_create("outagesim-run-stderr", MFD_CLOEXEC);
  if (stderr_fd_ < 0) {
    const int error = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    throw std::system_error(error, std::generic_category(), "memfd_create");
  }
  engine::loaded::load();  // once, in the parent: every child inherits it
  std::cout.flush();
  std::cerr.flush();
  started_s_ = steady_now_s();
  deadline_s_ = started_s_ + sweep.sweep.spec.timeout_s;
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    const int error = errno;
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::close(stderr_fd_);
    throw std::system_error(error, std::generic_category(), "fork");
  }
  if (pid_ == 0) {
    ::close(pipe_fds[0]);
    child_main(sweep, run, options, pipe_fds[1], stderr_fd_, parent);
  }
  ::close(pipe_fds[1]);
  result_fd_ = pipe_fds[0];
  // Never wait on one child while others finish.
  ::fcntl(result_fd_, F_SETFL, ::fcntl(result_fd_, F_GETFL) | O_NONBLOCK);
}

IsolatedRun::~IsolatedRun() {
  if (pid_ > 0) {  // never finished (an exception in the parent): leave no orphan running
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (result_fd_ >= 0) ::close(result_fd_);
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

bool IsolatedRun::read_available() {
  char buffer[1 << 14];
  while (true) {
    const ssize_t n = ::read(result_fd_, buffer, sizeof buffer);
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n == 0 || errno != EAGAIN;
  }
}

void IsolatedRun::kill_for_timeout() {
  timed_out_ = true;
  ::kill(pid_, SIGKILL);
}

RunRecord IsolatedRun::finish() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  RunRecord record{id_, RunStatus::failed, {}, {}, steady_now_s() - started_s_};
  const std::string tail = read_tail(stderr_fd_);
  if (timed_out_) {
    record.status = RunStatus::timeout;
    record.error_tail = tail.empty() ? "killed at the sweep's timeout" : tail;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    auto sent = parse_journal_line(received_);
    if (sent && sent->id == id_ && sent->metrics.size() == metric_count_) {
      record.status = RunStatus::ok;
      record.metrics = std::move(sent->metrics);
    } else {
      record.error_tail = "the run ended without sending its metrics\n" + tail;
    }
  } else if (WIFEXITED(status)) {
    record.status = WEXITSTATUS(status) == child_exit_memory ? RunStatus::memory : RunStatus::failed;
    record.error_tail = tail.empty() ? fmt::format("exit code {}", WEXITSTATUS(status)) : tail;
  } else if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    // SimGrid aborts when an actor's stack cannot be mapped: the address-space limit.
    if (tail.find("Failed to allocate") != std::string::npos) record.status = RunStatus::memory;
    record.error_tail = fmt::format("{}killed by signal {} ({})", tail.empty() ? "" : tail + "\n", signal,
                                    ::sigabbrev_np(signal) ? ::sigabbrev_np(signal) : "?");
  }
  return record;
}

RunRecord run_isolated(const PreparedSweep& sweep, const PlannedRun& run, const IsolationOptions& options) {
  IsolatedRun child(sweep, run, options);
  while (true) {
    const double left_s = child.deadline_s() - steady_now_s();
    if (left_s <= 0) {
      child.kill_for_timeout();
      break;
    }
    pollfd p{child.result_fd(), POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min(left_s * 1000 + 1, 60'000.0)));
    if (ready > 0 && child.read_available()) break;
  }
  return child.finish();
}

}  // namespace outagesim::experiment
