// The local runner of `outagesim sweep`: up to `jobs` runs at a time, each in
// its own forked child (run_isolated.hpp), every finished run appended to the
// journal at once, so that the sweep resumes where it was killed. Once every
// run has its record the outputs are written from the journal alone.
#pragma once

#include "journal.hpp"
#include "prepared_sweep.hpp"
#include "run_isolated.hpp"
#include "run_record.hpp"
#include "shard.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <set>
#include <vector>

namespace outagesim::experiment {

struct SweepOptions {
  std::filesystem::path out;
  unsigned jobs = 1;
  bool keep_all_runs = false;         ///< write every run's run directory under out/runs/<id>
  std::set<std::size_t> keep_runs;    ///< or only these runs'
  bool progress = false;              ///< a self-overwriting progress line on `log`
  /// Only this shard's runs (shard.hpp); the outputs are then left to sweep-merge.
  std::optional<Shard> shard;
};

struct SweepOutcome {
  std::size_t runs = 0;     ///< planned (in the shard, with one)
  std::size_t resumed = 0;  ///< found finished in the journal
  std::size_t failed = 0;   ///< not ok, resumed ones included
  double wall_s = 0;        ///< this invocation's
  std::vector<RunRecord> records;  ///< every finished run's record, by id (what the outputs were written from)
};

/// Runs what the journal in options.out lacks and writes the outputs
/// (with a shard: runs what its share lacks, and writes no outputs).
/// Throws JournalError (another sweep's journal, a damaged one) and metrics::OutputError.
SweepOutcome run_sweep(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log);

/// What a sweep has left to do, read back from its journal: the finished
/// records by run id, and the ids still to run (in the shard, with one).
/// Shared by the local and the MPI runners, so that they resume alike.
struct ResumedSweep {
  std::vector<std::optional<RunRecord>> records;
  std::vector<std::size_t> pending;
};
ResumedSweep resume_from(const Journal& journal, const PreparedSweep& sweep, const SweepOptions& options,
                               SweepOutcome& outcome);

/// How run `id` is isolated: its full run directory kept only when asked for.
IsolationOptions isolation_for(const SweepOptions& options, std::size_t id);

/// Counts the failed runs and, without a shard, writes the outputs from the
/// records in run-id order; completes `outcome` with the wall time since `started_s`.
SweepOutcome finish_sweep(const PreparedSweep& sweep, const SweepOptions& options,
                          std::vector<std::optional<RunRecord>>& records, SweepOutcome outcome, double started_s);

/// The journal's file name in the output directory.
inline constexpr const char* journal_file = "journal.jsonl";

}  // namespace outagesim::experiment
