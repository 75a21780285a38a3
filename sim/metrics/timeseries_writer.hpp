// timeseries.csv(.gz) written as the run samples: each sample's rows of the
// series `output.series` keeps go to the run directory's temporary (through
// gzip when `output.compress: gzip`) as soon as the sample is taken, so no
// series has to be held until the end for the file's sake. The bytes are
// those a writer of the whole run at the end would give: same rows, same
// order, and the gzip stream sees the same bytes with no flush between.
//
// A value that is not finite is a bug of ours: from the first one on
// nothing more is written, and finish() throws the error a writer at the
// end would have thrown (same message). The file is then never committed:
// it is still the run directory's temporary (atomic_file.hpp), which is
// removed when the exception unwinds.
#pragma once

#include "gzip_stream.hpp"
#include "run_result.hpp"
#include "series_selection.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace outagesim::metrics {

class TimeseriesWriter {
 public:
  /// Writes the header line to `out` (compressed when `compression` is gzip).
  TimeseriesWriter(std::ostream& out, scenario::Compression compression,
                   const std::optional<std::vector<scenario::SeriesFilter>>& filters, double start_epoch_s);
  ~TimeseriesWriter();
  TimeseriesWriter(const TimeseriesWriter&) = delete;
  TimeseriesWriter& operator=(const TimeseriesWriter&) = delete;

  /// The run's series, in timeseries.csv's order; once, before the first sample.
  void set_series(const std::vector<Series>& series);
  /// One sample: `values` holds each series' value at `t_s`, in set_series' order.
  /// Checks every value (kept or not), then writes the kept series' rows.
  void write_sample(double t_s, const std::vector<double>& values);
  /// Ends the file (the gzip member's end); throws std::logic_error naming
  /// the first value that was not finite, if any. Call once, after the run.
  void finish();

 private:
  // Declared before out_, which the constructor points at one of them.
  std::unique_ptr<GzipWriter> gzip_;      ///< when compressed
  std::unique_ptr<std::ostream> deflated_;
  std::ostream& out_;                     ///< where rows go: the file, or the gzip stream over it
  SeriesSelection selection_;
  double start_epoch_s_;
  const std::vector<Series>* series_ = nullptr;
  std::vector<std::size_t> kept_;         ///< indices of the series the selection keeps
  std::vector<std::string> kept_columns_; ///< each kept series' ",scope,entity,metric," part of a row
  std::size_t samples_ = 0;
  std::optional<std::string> not_finite_; ///< the first value that was not, as the error says it
};

/// timeseries.csv of a run whose every series is held (Series::held), in
/// one go through a TimeseriesWriter; throws std::logic_error if one is not.
void write_timeseries_csv(std::ostream& out, const RunResult& result);

}  // namespace outagesim::metrics
