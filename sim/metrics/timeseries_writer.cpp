#include "timeseries_writer.hpp"

#include "display_format.hpp"
#include "run_directory.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

/// `file`, or a gzip stream over it (made into `gzip` and `deflated`).
std::ostream& rows_stream(std::ostream& file, std::unique_ptr<GzipWriter>& gzip,
                          std::unique_ptr<std::ostream>& deflated, scenario::Compression compression) {
  if (compression != scenario::Compression::gzip) return file;
  gzip = std::make_unique<GzipWriter>(file);
  deflated = std::make_unique<std::ostream>(gzip.get());
  return *deflated;
}

}  // namespace

TimeseriesWriter::TimeseriesWriter(std::ostream& out, scenario::Compression compression,
                                   const std::optional<std::vector<scenario::SeriesFilter>>& filters,
                                   double start_epoch_s)
    : out_(rows_stream(out, gzip_, deflated_, compression)), selection_(filters), start_epoch_s_(start_epoch_s) {
  out_ << "t,time_utc,scope,entity,metric,value\n";
}

TimeseriesWriter::~TimeseriesWriter() = default;

void TimeseriesWriter::set_series(const std::vector<Series>& series) {
  series_ = &series;
  kept_.clear();
  kept_columns_.clear();
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (!selection_.keeps(series[i])) continue;
    kept_.push_back(i);
    kept_columns_.push_back(',' + series[i].scope + ',' + csv_field(series[i].entity) + ',' + series[i].metric + ',');
  }
}

void TimeseriesWriter::write_sample(double t_s, const std::vector<double>& values) {
  const std::size_t k = samples_++;
  if (not_finite_) return;  // the file is lost already; finish() says why
  if (!std::isfinite(t_s)) {
    not_finite_ = fmt::format("timeseries.csv: sample {} time is {}, not a finite number", k, t_s);
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isfinite(values[i])) continue;
    const Series& s = (*series_)[i];
    not_finite_ = fmt::format("timeseries.csv: series {}/{}/{} at t={} s is {}, not a finite number", s.scope,
                              s.entity, s.metric, t_s, values[i]);
    return;
  }
  const std::string t = fmt::format("{}", t_s);
  const std::string utc = utc_timestamp_ms(start_epoch_s_ + t_s);
  for (std::size_t j = 0; j < kept_.size(); ++j)
    out_ << t << ',' << utc << kept_columns_[j] << fmt::format("{}", values[kept_[j]]) << '\n';
}

void TimeseriesWriter::finish() {
  if (not_finite_) throw std::logic_error(*not_finite_);
  if (gzip_) {
    deflated_->flush();
    gzip_->finish();
  }
}

void write_timeseries_csv(std::ostream& out, const RunResult& r) {
  for (const auto& s : r.series)
    if (!s.held || s.values.size() != r.t_s.size())
      throw std::logic_error(fmt::format("timeseries.csv: series {}/{}/{} has {} values for {} samples", s.scope,
                                         s.entity, s.metric, s.values.size(), r.t_s.size()));
  TimeseriesWriter writer(out, r.timeseries_compression, r.series_filters, r.start_epoch_s);
  writer.set_series(r.series);
  std::vector<double> row(r.series.size());
  for (std::size_t k = 0; k < r.t_s.size(); ++k) {
    for (std::size_t i = 0; i < r.series.size(); ++i) row[i] = r.series[i].values[k];
    writer.write_sample(r.t_s[k], row);
  }
  writer.finish();
}

}  // namespace outagesim::metrics
