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
    return journal_line(run_isolated(sweep, sweep.runs.at(id), isolation_for(options, id)));
  };
  if (mpi.rank() != 0) {
    dispatch(mpi, {}, run_one, {});
    return {};
  }

  const double started = steady_now_s();
  SweepOutcome outcome{sweep.runs.size(), 0, 0, 0, {}};
  std::unique_ptr<Journal> journal;
  try {
    std::filesystem::create_directories(options.out);
    journal = std::make_unique<Journal>(options.out / journal_file,
                                        JournalHeader{sweep.spec_hash, version, sweep.runs.size()});
  } catch (...) {
    // The workers wait for ids: tell them there are none before giving up.
    dispatch(mpi, {}, run_one, {});
    throw;
  }
  ResumedSweep resumed = resume_from(*journal, sweep, options, outcome);
  auto& records = resumed.records;
  const auto& pending = resumed.pending;

  SweepProgress progress(log, outcome.runs, outcome.resumed, options.progress);
  dispatch(mpi, pending, run_one, [&](std::size_t id, const std::string& line) {
    auto record = parse_journal_line(line);
    if (!record || record->id != id) throw std::runtime_error("a worker sent a line that is not run " + std::to_string(id) + "'s");
    journal->append(*record);
    progress.finished(record->status != RunStatus::ok, steady_now_s());
    records[id] = std::move(*record);
  });
  progress.finish();
  return finish_sweep(sweep, options, records, outcome, started);
}

}  // namespace outagesim::experiment
