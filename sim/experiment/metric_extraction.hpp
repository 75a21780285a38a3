// The numbers a sweep collects from one run, taken from its RunResult in the
// run's own process: values of summary.json by their metric_path, and values
// derived from one sampled series (docs/experiments.md, "Metrics").
#pragma once

#include "sim/metrics/run_result.hpp"
#include "sim/metrics/series_retention.hpp"
#include "sim/scenario/sweep_spec.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::experiment {

/// Every number-or-null path below summary.json's "metrics" for `result`.
std::vector<std::string> summary_paths(const metrics::RunResult& result);

/// The value of one metric; none when it has none (a null in summary.json, a
/// threshold never crossed).
std::optional<double> extract_metric(const metrics::RunResult& result, const scenario::SweepMetric& metric);

/// The series `metrics` derive values from: a run of the sweep must hold them.
std::vector<metrics::SeriesKey> series_read_by(const std::vector<scenario::SweepMetric>& metrics);

std::vector<std::optional<double>> extract_metrics(const metrics::RunResult& result,
                                                   const std::vector<scenario::SweepMetric>& metrics);

}  // namespace outagesim::experiment
