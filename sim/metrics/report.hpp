// report.html: one self-contained page (no network, no scripts) with the
// headline numbers and the charts of a run, readable at 1280 px.
#pragma once

#include "run_directory.hpp"
#include "run_result.hpp"

#include <string>

namespace outagesim::metrics {

std::string render_report_html(const RunResult& result, const Provenance& provenance);

}  // namespace outagesim::metrics
