// report.html: one self-contained page (no network, no scripts) with the
// headline numbers and the charts of a run, readable at 1280 px.
#pragma once

#include "run_directory.hpp"
#include "run_result.hpp"

#include "sim/scenario/published_series.hpp"

#include <string>
#include <vector>

namespace outagesim::metrics {

/// `observed`: published series to draw over the simulated ones (`run --observed`).
std::string render_report_html(const RunResult& result, const Provenance& provenance,
                               const std::vector<scenario::PublishedSeriesFile>& observed = {});

}  // namespace outagesim::metrics
