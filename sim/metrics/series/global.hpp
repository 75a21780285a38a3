// The run's global series: availability, failed requests and sites down.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class GlobalSeries {
 public:
  static constexpr SeriesDeclaration availability{
      "global", "availability", "fraction", "empty", "request-weighted share of all sites' requests served",
      ReportView::global_chart};
  static constexpr SeriesDeclaration failed_rps{"global", "failed_rps", "requests/s", "empty",
                                                "requests per second failing"};
  static constexpr SeriesDeclaration sites_down{"global", "sites_down", "count", "empty",
                                                "sites below `site_down_below`"};
  static constexpr SeriesDeclaration failed_requests_cumulative{
      "global", "failed_requests_cumulative", "requests", "empty",
      "requests failed from the start up to `t` (sample k counts up to sample k+1, so the sample at `t` itself is "
      "not yet included); at the last sample, when it falls on the end of the run, it equals `failed_requests`"};
  static constexpr std::array declared{availability, failed_rps, sites_down, failed_requests_cumulative};

  explicit GlobalSeries(const world::World& /*world*/) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

  /// For the headline metrics.
  [[nodiscard]] SeriesId availability_id() const { return availability_; }
  [[nodiscard]] SeriesId failed_rps_id() const { return failed_rps_; }

 private:
  SeriesId availability_{}, failed_rps_{}, sites_down_{}, failed_cumulative_{};
};

}  // namespace outagesim::metrics
