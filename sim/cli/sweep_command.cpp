// `outagesim sweep SPEC --out DIR [--jobs N]`: prepare the sweep (spec and
// base checked once), run what its journal lacks, write the outputs
// (docs/experiments.md), or say why not (docs/exit-codes.md).
#include "commands.hpp"
#include "mpi_option.hpp"

#include "sim/experiment/journal.hpp"
#include "sim/experiment/mpi_sweep.hpp"
#include "sim/experiment/prepared_sweep.hpp"
#include "sim/experiment/shard.hpp"
#include "sim/experiment/shard_merge.hpp"
#include "sim/experiment/sweep_outputs.hpp"
#include "sim/experiment/sweep_runner.hpp"
#include "sim/metrics/atomic_file.hpp"

#include <outagesim/version.hpp>

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <fmt/format.h>

namespace outagesim::cli {

namespace {

/// Why `dir` cannot take this sweep (a shard's, or a whole sweep's), or none.
/// A shard directory holds one shard of one spec; a whole sweep's, none.
std::optional<std::string> directory_conflict(const std::filesystem::path& dir,
                                              const std::optional<experiment::ShardInfo>& shard) {
  std::error_code ec;
  const bool has_shard_file = std::filesystem::exists(dir / experiment::shard_file, ec);
  if (!shard) {
    if (!has_shard_file) return std::nullopt;
    return fmt::format("--out {}: it holds a shard of a sweep ({}); merge shards with outagesim sweep-merge, or run "
                       "the whole sweep into another --out",
                       dir.string(), experiment::shard_file);
  }
  if (!has_shard_file) {
    if (!std::filesystem::exists(dir / experiment::journal_file, ec)) return std::nullopt;
    return fmt::format("--out {}: it holds the journal of a whole sweep; give each shard a directory of its own",
                       dir.string());
  }
  experiment::ShardInfo recorded;
  try {
    recorded = experiment::read_shard_info(dir);
  } catch (const experiment::ShardError& e) {
    return e.what();
  }
  if (recorded.shard == shard->shard && recorded.spec_hash == shard->spec_hash) return std::nullopt;
  return fmt::format("--out {}: it holds shard {} of a sweep with spec hash {}; this is shard {} of spec hash {}: give "
                     "each shard a directory of its own",
                     dir.string(), recorded.shard.name(), recorded.spec_hash, shard->shard.name(), shard->spec_hash);
}

/// Checks `dir` for this sweep and, for a shard, writes its shard.json;
/// prints why not and returns exit_bad_input when it cannot be used.
int prepare_output_directory(const std::filesystem::path& dir, const std::optional<experiment::ShardInfo>& shard) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    std::cerr << fmt::format("outagesim: error: --out {}: exists and is not a directory\n", dir.string());
    return exit_bad_input;
  }
  if (auto conflict = directory_conflict(dir, shard)) {
    std::cerr << "outagesim: error: " << *conflict << '\n';
    return exit_bad_input;
  }
  if (shard) {
    std::filesystem::create_directories(dir, ec);
    try {
      experiment::write_shard_info(dir, *shard);
    } catch (const metrics::OutputError& e) {
      std::cerr << "outagesim: error: " << e.what() << '\n';
      return exit_bad_input;
    }
  }
  return exit_ok;
}

/// The absolute path of `file`, as recorded in shard.json for sweep-merge.
std::string absolute_path(const std::string& file) {
  std::error_code ec;
  const auto path = std::filesystem::absolute(file, ec);
  return ec ? file : path.lexically_normal().string();
}

}  // namespace

int sweep_command(const SweepCommandOptions& options) {
  std::optional<experiment::Shard> shard;
  if (!options.shard.empty()) {
    std::string error;
    shard = experiment::parse_shard(options.shard, error);
    if (!shard) {
      std::cerr << "outagesim: error: --shard " << error << '\n';
      return exit_bad_input;
    }
  }
  // Under --mpi every rank runs this function; rank 0 alone speaks and
  // writes, the others only run what it hands out. Every check below reads
  // the same files on every rank, so all ranks agree on giving up.
  std::unique_ptr<experiment::MpiSession> mpi;
  if (!open_mpi_session(options.mpi, mpi)) return exit_bad_input;
  const bool speaks = !mpi || mpi->rank() == 0;
  std::ostringstream silent;
  std::ostream& err = speaks ? std::cerr : silent;

  experiment::PreparedSweep sweep;
  try {
    sweep = experiment::prepare_sweep(options.spec);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) err << d.to_string() << '\n';
    return exit_bad_input;
  }
  experiment::SweepOptions run;
  run.out = options.out.empty() ? std::filesystem::path("runs") / ("sweep-" + sweep.sweep.spec.name)
                                : std::filesystem::path(options.out);
  run.jobs = options.jobs;
  run.keep_all_runs = options.keep_all_runs;
  run.shard = shard;
  for (std::size_t id : options.keep_runs) {
    if (id >= sweep.runs.size()) {
      err << fmt::format("outagesim: error: --keep-run {}: the sweep has runs 0 to {}\n", id, sweep.runs.size() - 1);
      return exit_bad_input;
    }
    run.keep_runs.insert(id);
  }
  run.progress = speaks && isatty(STDERR_FILENO) == 1;
  std::optional<experiment::ShardInfo> shard_info;
  if (shard)
    shard_info = experiment::ShardInfo{*shard, absolute_path(options.spec), sweep.spec_hash, version, sweep.runs.size()};
  // The output directory is rank 0's alone: it checks and prepares it, and
  // the workers follow its verdict (they would race with its writes).
  int verdict = exit_ok;
  if (speaks) verdict = prepare_output_directory(run.out, shard_info);
  if (mpi) verdict = mpi->from_rank_zero(verdict);
  if (verdict != exit_ok) return verdict;
  experiment::SweepOutcome outcome;
  try {
    outcome = mpi ? experiment::run_sweep_mpi(*mpi, sweep, run, std::cerr) : experiment::run_sweep(sweep, run, std::cerr);
  } catch (const experiment::JournalError& e) {
    err << "outagesim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  if (!speaks) return exit_ok;
  const std::string resumed = outcome.resumed > 0 ? fmt::format(" ({} from the journal)", outcome.resumed) : "";
  if (shard)
    std::cout << fmt::format("sweep {}, shard {}: {} runs{}, {} failed; journal in {}; merge every shard with "
                             "outagesim sweep-merge\n",
                             sweep.sweep.spec.name, shard->name(), outcome.runs, resumed, outcome.failed,
                             (run.out / experiment::journal_file).string());
  else
    std::cout << fmt::format("sweep {}: {} runs{}, {} failed; results in {}\n", sweep.sweep.spec.name, outcome.runs,
                             resumed, outcome.failed, (run.out / "results.csv").string());
  if (outcome.failed > 0) {
    std::cerr << fmt::format("outagesim: {} of {} runs failed ({})\n", outcome.failed, outcome.runs,
                             shard ? "in the journal; failures.csv once merged"
                                   : fmt::format("failures.csv in {}", run.out.string()));
    return exit_runs_failed;
  }
  return exit_ok;
}

int sweep_merge_command(const SweepMergeOptions& options) {
  std::vector<experiment::ShardDirectory> shards;
  std::vector<experiment::RunRecord> records;
  try {
    for (const auto& dir : options.shard_dirs) shards.push_back(experiment::read_shard_directory(dir));
    records = experiment::merge_shards(shards);
  } catch (const experiment::ShardError& e) {
    std::cerr << "outagesim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  const experiment::ShardInfo& info = shards.front().info;
  if (info.outagesim_version != version) {
    std::cerr << fmt::format("outagesim: error: the shards were run by outagesim {}, this is {}: merge them with the "
                             "binary that ran them\n",
                             info.outagesim_version, version);
    return exit_bad_input;
  }
  const std::string spec = options.spec.empty() ? info.spec_file : options.spec;
  experiment::PreparedSweep sweep;
  try {
    sweep = experiment::prepare_sweep(spec);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    return exit_bad_input;
  }
  if (sweep.spec_hash != info.spec_hash) {
    std::cerr << fmt::format("outagesim: error: {}: its hash is {}, the shards ran a spec with hash {}: it changed "
                             "since (give the spec they ran with --spec)\n",
                             spec, sweep.spec_hash, info.spec_hash);
    return exit_bad_input;
  }
  const std::filesystem::path out(options.out);
  if (auto conflict = directory_conflict(out, std::nullopt)) {
    std::cerr << "outagesim: error: " << *conflict << '\n';
    return exit_bad_input;
  }
  try {
    // The merged directory is a whole sweep's, journal included: `outagesim
    // sweep SPEC --out DIR` finds every run there and only rewrites the outputs.
    std::filesystem::create_directories(out);
    experiment::Journal journal(out / experiment::journal_file, {sweep.spec_hash, version, sweep.runs.size()});
    std::vector<bool> present(sweep.runs.size(), false);
    for (const auto& r : journal.finished())
      if (r.id < present.size()) present[r.id] = true;
    for (const auto& r : records)
      if (!present[r.id]) journal.append(r);
  } catch (const experiment::JournalError& e) {
    std::cerr << "outagesim: error: " << e.what() << '\n';
    return exit_bad_input;
  }
  experiment::write_sweep_outputs(out, sweep, records);
  std::size_t failed = 0;
  for (const auto& r : records) failed += r.status != experiment::RunStatus::ok;
  std::cout << fmt::format("sweep {}: {} runs from {} shards, {} failed; results in {}\n", sweep.sweep.spec.name,
                           records.size(), shards.size(), failed, (out / "results.csv").string());
  return failed > 0 ? exit_runs_failed : exit_ok;
}

}  // namespace outagesim::cli
