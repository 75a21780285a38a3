#include "sweep_runner.hpp"

#include "journal.hpp"
#include "run_isolated.hpp"
#include "sweep_outputs.hpp"
#include "sweep_progress.hpp"

#include <outagesim/version.hpp>

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>
#include <vector>

#include <fmt/format.h>

namespace outagesim::experiment {

SweepOutcome run_sweep(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log) {
  const double started = steady_now_s();
  std::filesystem::create_directories(options.out);
  Journal journal(options.out / journal_file, {sweep.spec_hash, version, sweep.runs.size()});

  SweepOutcome outcome{sweep.runs.size(), 0, 0, 0, {}};
  ResumedSweep resumed = resume_from(journal, sweep, options, outcome);
  auto& records = resumed.records;
  const auto& pending = resumed.pending;

  SweepProgress progress(log, outcome.runs, outcome.resumed, options.progress);
  const unsigned jobs = std::max(1u, options.jobs);
  std::vector<std::unique_ptr<IsolatedRun>> running;
  std::size_t next = 0;
  auto record_finished = [&](IsolatedRun& child) {
    RunRecord record = child.finish();
    journal.append(record);
    progress.finished(record.status != RunStatus::ok, steady_now_s());
    records[record.id] = std::move(record);
  };
  while (next < pending.size() || !running.empty()) {
    while (running.size() < jobs && next < pending.size()) {
      const PlannedRun& run = sweep.runs[pending[next++]];
      running.push_back(std::make_unique<IsolatedRun>(sweep, run, isolation_for(options, run.id)));
    }
    std::vector<pollfd> fds;
    double deadline = running.front()->deadline_s();
    for (const auto& child : running) {
      fds.push_back({child->result_fd(), POLLIN, 0});
      deadline = std::min(deadline, child->deadline_s());
    }
    const double wait_ms = std::clamp((deadline - steady_now_s()) * 1000 + 1, 0.0, 60'000.0);
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "poll");
    const double now = steady_now_s();
    for (std::size_t k = running.size(); k-- > 0;) {
      IsolatedRun& child = *running[k];
      bool done = (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && child.read_available();
      if (!done && now >= child.deadline_s()) {
        child.kill_for_timeout();
        done = true;
      }
      if (!done) continue;
      record_finished(child);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  progress.finish();
  return finish_sweep(sweep, options, records, outcome, started);
}

ResumedSweep resume_from(const Journal& journal, const PreparedSweep& sweep, const SweepOptions& options,
                               SweepOutcome& outcome) {
  ResumedSweep state{std::vector<std::optional<RunRecord>>(sweep.runs.size()), {}};
  for (const auto& r : journal.finished()) {
    if (r.id >= state.records.size() || state.records[r.id]) continue;
    state.records[r.id] = r;
    ++outcome.resumed;
  }
  for (std::size_t id = 0; id < state.records.size(); ++id)
    if (!state.records[id] && (!options.shard || options.shard->holds(id))) state.pending.push_back(id);
  if (options.shard) outcome.runs = outcome.resumed + state.pending.size();
  return state;
}

IsolationOptions isolation_for(const SweepOptions& options, std::size_t id) {
  IsolationOptions isolation;
  if (options.keep_all_runs || options.keep_runs.contains(id))
    isolation.keep_dir = options.out / "runs" / std::to_string(id);
  return isolation;
}

SweepOutcome finish_sweep(const PreparedSweep& sweep, const SweepOptions& options,
                          std::vector<std::optional<RunRecord>>& records, SweepOutcome outcome, double started_s) {
  std::vector<RunRecord> sorted;
  for (auto& r : records)
    if (r) sorted.push_back(std::move(*r));
  for (const auto& r : sorted) outcome.failed += r.status != RunStatus::ok;
  if (!options.shard) write_sweep_outputs(options.out, sweep, sorted);
  outcome.wall_s = steady_now_s() - started_s;
  outcome.records = std::move(sorted);
  return outcome;
}

}  // namespace outagesim::experiment
