// A sweep ready to run: its spec checked against the base scenario once, in
// the parent process, so that the runs forked from it start from checked,
// in-memory text and never read a file. A bad value or an unknown metric is
// found here, at the spec's file:line:column, before any run starts.
#pragma once

#include "plan.hpp"

#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>
#include <vector>

namespace outagesim::experiment {

struct PreparedSweep {
  Sweep sweep;
  std::vector<PlannedRun> runs;  ///< plan(sweep)
  std::string base_path;         ///< the base scenario, resolved against the spec's folder
  std::string base_text;         ///< its bytes, read once
  scenario::Scenario base;       ///< it, loaded and checked (with its own seed)
  std::string spec_hash;         ///< FNV-1a 64 of the spec's bytes and the base's hash, 16 hex digits
  std::string base_hash;         ///< the base scenario's source_hash
};

/// Loads the spec at `spec_path`, its base scenario, and checks every
/// parameter's extreme values and every metric against them; throws
/// scenario::ScenarioError with every diagnostic.
PreparedSweep prepare_sweep(const std::string& spec_path);

/// The overrides of one run: its values, then scenario.seed.
std::vector<scenario::Override> run_overrides(const PlannedRun& run);

}  // namespace outagesim::experiment
