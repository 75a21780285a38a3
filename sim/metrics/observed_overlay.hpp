// report.html's "Published observations" section (`outagesim run SCENARIO
// --observed FILE`): each published series drawn over the simulated series
// it names, with its tolerance boxes and a legend naming its source, the
// score of every point and of the shape (shape_score.hpp).
#pragma once

#include "run_result.hpp"
#include "series_retention.hpp"
#include "svg_chart.hpp"

#include "sim/scenario/published_series.hpp"

#include <string>
#include <vector>

namespace outagesim::metrics {

/// The section for every file in `observed`; empty when there is none.
std::string observed_section(const RunResult& r, const std::vector<scenario::PublishedSeriesFile>& observed,
                             const std::vector<ChartMarker>& markers);

/// A published series naming a simulated series the run does not have: the
/// message `run --observed` refuses it with (before the report is written),
/// or empty when every compared series is in the run.
std::string missing_simulated_series(const RunResult& r, const scenario::PublishedSeriesFile& file);

/// The simulated series the section reads: the run must hold them.
std::vector<SeriesKey> series_compared_by(const std::vector<scenario::PublishedSeriesFile>& observed);

}  // namespace outagesim::metrics
