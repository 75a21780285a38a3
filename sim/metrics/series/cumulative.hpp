// Failed requests so far, for every scope below global with a failed rate
// (sites only those with series: `output.site_series` keeps large
// populations small), in the order of their rates.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>
#include <utility>

namespace outagesim::metrics {

class CumulativeFailureSeries {
 public:
  static constexpr std::string_view integrated =
      "that entity's failed requests from the start up to `t`, integrated from its `failed_rps` as the global one is";
  static constexpr SeriesDeclaration provider{"provider", "failed_requests_cumulative", "requests", "provider name",
                                              integrated};
  static constexpr SeriesDeclaration service{"service", "failed_requests_cumulative", "requests",
                                             "`provider.service`", integrated};
  static constexpr SeriesDeclaration site{"site", "failed_requests_cumulative", "requests", "site name", integrated};
  static constexpr SeriesDeclaration segment{"segment", "failed_requests_cumulative", "requests",
                                             "`provider.service/segment`", integrated};
  static constexpr std::array declared{provider, service, site, segment};

  explicit CumulativeFailureSeries(const world::World& /*world*/) {}
  /// After every other observer's: one total per `failed_rps` series below global.
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  std::vector<std::pair<SeriesId, SeriesId>> totals_;  ///< (failed_rps, its failed_requests_cumulative)
};

}  // namespace outagesim::metrics
