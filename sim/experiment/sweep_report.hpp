// report.html of a sweep: self-contained like a run's report (inline SVG and
// the same style sheet, no scripts, nothing fetched): the sensitivity
// ranking, each metric against each parameter with the band of its
// replications, each metric's distribution over all runs, and the failures.
#pragma once

#include "prepared_sweep.hpp"
#include "run_record.hpp"
#include "sweep_tables.hpp"

#include <string>
#include <vector>

namespace outagesim::experiment {

std::string render_sweep_report(const PreparedSweep& sweep, const std::vector<RunRecord>& records,
                                const SweepTables& tables);

}  // namespace outagesim::experiment
