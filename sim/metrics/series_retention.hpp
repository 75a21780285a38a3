// Which series a run holds in memory after sampling them. Every series is
// streamed to timeseries.csv as it is sampled (timeseries_writer.hpp); a
// series' values are kept only when something reads them after the run.
// The readers, all declared here:
// - the headline metrics (Collector::finish): global availability and failed_rps;
// - report.html (report.cpp): the series its declaration shows in a chart or
//   table (SeriesDeclaration::shown_in), the queue charts' service series and
//   the rankings of the most affected sites and regions;
// - what a command asks for by name: a sweep's series metrics
//   (experiment/metric_extraction.hpp), the series `--observed` files are
//   compared with (observed_overlay.hpp).
// A series nobody reads keeps its name in RunResult::series (for lookups and
// warnings) and no values.
#pragma once

#include "run_result.hpp"

#include <string>
#include <vector>

namespace outagesim::metrics {

/// A series by name, as a reader asks for it.
struct SeriesKey {
  std::string scope;
  std::string entity;  ///< "" for global
  std::string metric;
};

class SeriesRetention {
 public:
  /// A run that writes report.html: the headline's and the report's series, and `asked`.
  static SeriesRetention with_report(std::vector<SeriesKey> asked = {});
  /// A run that writes no report (a sweep's run that keeps no directory):
  /// the headline's series and `asked`.
  static SeriesRetention without_report(std::vector<SeriesKey> asked = {});
  /// Every series: for readers of any series' values, such as tests of the
  /// series themselves. Memory grows with samples x series.
  static SeriesRetention every_series();

  [[nodiscard]] bool holds(const Series& series) const;

 private:
  enum class Readers { headline, report, everything };
  SeriesRetention(Readers readers, std::vector<SeriesKey> asked) : readers_(readers), asked_(std::move(asked)) {}
  Readers readers_;
  std::vector<SeriesKey> asked_;
};

/// Whether report.html reads this series (report.cpp): the single list of
/// what the report draws or ranks.
bool read_by_report(const Series& series);

}  // namespace outagesim::metrics
