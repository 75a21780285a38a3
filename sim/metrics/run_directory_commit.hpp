// Putting a run's files into its directory so that the directory never mixes
// two runs (docs/outputs.md, "How a run directory is committed"). Every file
// is written completely to its temporary and synced to disk first (a full
// disk fails there, leaving the previous run whole); then the previous run's
// summary.json is removed, the other files are renamed into place, and the
// new summary.json is renamed last. So, at every instant, and after a crash
// or a kill at any point: summary.json present => every file of the contract
// is the one written by the run that summary.json describes.
#pragma once

#include "atomic_file.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace outagesim::metrics {

/// Called after each step of the commit with what it did ("remove
/// summary.json", "rename events.jsonl", ...): a seam for tests that stop or
/// inspect the directory between steps.
using CommitStep = std::function<void(const std::string& step)>;

/// Commits `files` (each complete, in `dir`), then `summary`, in the order
/// above; throws OutputError. `obsolete` names files of a previous run that
/// this one does not write (timeseries.csv when it writes timeseries.csv.gz):
/// they are removed once the old summary is gone, before any rename.
void commit_run_directory(const std::filesystem::path& dir, const std::vector<AtomicFile*>& files, AtomicFile& summary,
                          const CommitStep& after_step = {}, const std::vector<std::string>& obsolete = {});

}  // namespace outagesim::metrics
