// The "what if" view: two runs side by side. Their headline metrics with the
// difference B - A, and their availability and config reach overlaid on time
// since start (runs may differ in start, duration and resolution).
// compare.html is self-contained like report.html; compare.json holds the
// same numbers for scripts.
#pragma once

#include "run_reader.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace outagesim::metrics {

struct MetricComparison {
  std::string path;  ///< metric_path below summary.json's "metrics"
  std::optional<double> a;
  std::optional<double> b;
  /// B - A; empty when either is null or missing.
  [[nodiscard]] std::optional<double> difference() const;
};

struct Comparison {
  LoadedRun a;
  LoadedRun b;
  std::vector<MetricComparison> metrics;  ///< A's metrics in A's order, then those only B has
};

Comparison compare_runs(LoadedRun a, LoadedRun b);

/// A metric's value as compare.html and the terminal show it, by its path:
/// "60%", "+10m10s" (a time, since the run's start), "2.87ms" (a duration), "1,000", or "none".
std::string shown_metric(const std::string& path, const std::optional<double>& value);

/// B - A as compare.html and the terminal show it: "+20 pp", "-5m00s", "-750"; "" when either is missing.
std::string shown_difference(const MetricComparison& m);

std::string render_compare_html(const Comparison& comparison);
void write_compare_json(std::ostream& out, const Comparison& comparison);

}  // namespace outagesim::metrics
