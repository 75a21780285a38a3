// A finished sweep's directory (docs/experiments.md, "Outputs"): results.csv
// (one row per run, no wall times, so byte-identical whatever --jobs, MPI or
// shards), timings.csv, failures.csv, summary.csv, sensitivity.csv,
// manifest.json and report.html. Each file is written whole and renamed
// into place.
#pragma once

#include "prepared_sweep.hpp"
#include "run_record.hpp"

#include <filesystem>
#include <ostream>
#include <vector>

namespace outagesim::experiment {

namespace fs = std::filesystem;

/// Writes every output into `dir` from the records, sorted by id and one per
/// planned run; throws metrics::OutputError when a file cannot be written.
void write_sweep_outputs(const fs::path& dir, const PreparedSweep& sweep, const std::vector<RunRecord>& records);

void write_results_csv(std::ostream& out, const PreparedSweep& sweep, const std::vector<RunRecord>& records);

}  // namespace outagesim::experiment
