// Reads a sweep spec (scenarios/sweeps/*.yaml) through the declarations of
// sweep_spec.hpp, with the scenario loader's machinery: every problem is a
// Diagnostic at file:line:column, all of them collected before giving up.
// Checks what the spec alone decides; the experiment stage checks the
// parameters and metrics against the base scenario.
#pragma once

#include "diagnostic.hpp"
#include "sweep_spec.hpp"

#include <string>

namespace outagesim::scenario {

/// Loads and checks the sweep spec at `path`; throws ScenarioError.
SweepSpec load_sweep(const std::string& path);

/// As load_sweep(), from text in memory; `file` names it in diagnostics.
SweepSpec load_sweep_from_string(const std::string& text, const std::string& file);

}  // namespace outagesim::scenario
