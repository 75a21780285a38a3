// Checks that need the whole scenario: names unique, references resolved,
// values in range, times inside the run. Structural checks (types, units,
// unknown keys) happen while reading; these run after.
#pragma once

#include "diagnostic.hpp"
#include "scenario.hpp"
#include "source_map.hpp"

#include <vector>

namespace outagesim::scenario {

/// Appends a diagnostic for every semantic problem of `scenario`.
void validate(const Scenario& scenario, const SourceMap& sources, std::vector<Diagnostic>& diagnostics);

}  // namespace outagesim::scenario
