#include "mpi_sweep.hpp"

#include "journal.hpp"
#include "run_isolated.hpp"
#include "sweep_outputs.hpp"
#include "sweep_progress.hpp"

#include <outagesim/version.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <vector>

namespace outagesim::experiment {

SweepOutcome run_sweep_mpi(const MpiSession& mpi, const PreparedSweep& sweep, const SweepOptions& options,
                           std::ostream& log) {
  const auto run_one = [&](std::size_t id) {
    IsolationOptions isolation;
    if (options.keep_all_runs || options.keep_runs.contains(id))
      isolation.keep_dir = options.out / "runs" / std::to_string(id);
    return journal_line(run_isolated(sweep, sweep.runs.at(id), isolation));
  };
  if (mpi.rank() != 0) {
    dispatch(mpi, {}, run_one, {});
    return {};
  }

  const double started = steady_now_s();
  SweepOutcome outcome{sweep.runs.size(), 0, 0, 0};
  std::unique_ptr<Journal> journal;
  std::vector<std::optional<RunRecord>> records(sweep.runs.size());
  std::vector<std::size_t> pending;
  try {
    std::filesystem::create_directories(options.out);
    journal = std::make_unique<Journal>(options.out / journal_file,
                                        JournalHeader{sweep.spec_hash, version, sweep.runs.size()});
  } catch (...) {
    // The workers wait for ids: tell them there are none before giving up.
    dispatch(mpi, {}, run_one, {});
    throw;
  }
  for (const auto& r : journal->finished()) {
    if (r.id >= records.size() || records[r.id]) continue;
    records[r.id] = r;
    ++outcome.resumed;
  }
  for (std::size_t id = 0; id < records.size(); ++id)
    if (!records[id] && (!options.shard || options.shard->holds(id))) pending.push_back(id);
  if (options.shard) outcome.runs = outcome.resumed + pending.size();

  SweepProgress progress(log, outcome.runs, outcome.resumed, options.progress);
  dispatch(mpi, pending, run_one, [&](std::size_t id, const std::string& line) {
    auto record = parse_journal_line(line);
    if (!record || record->id != id) throw std::runtime_error("a worker sent a line that is not run " + std::to_string(id) + "'s");
    journal->append(*record);
    progress.finished(record->status != RunStatus::ok, steady_now_s());
    records[id] = std::move(*record);
  });
  progress.finish();

  std::vector<RunRecord> sorted;
  for (auto& r : records)
    if (r) sorted.push_back(std::move(*r));
  for (const auto& r : sorted) outcome.failed += r.status != RunStatus::ok;
  if (!options.shard) write_sweep_outputs(options.out, sweep, sorted);
  outcome.wall_s = steady_now_s() - started;
  return outcome;
}

}  // namespace outagesim::experiment
