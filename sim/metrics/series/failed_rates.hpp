// Failed requests per second per provider, service and site.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class FailedRateSeries {
 public:
  static constexpr SeriesDeclaration provider{"provider", "failed_rps", "requests/s", "provider name",
                                              "requests per second its services fail: the sum over its services"};
  static constexpr SeriesDeclaration service{
      "service", "failed_rps", "requests/s", "`provider.service`",
      "load offered to the service (from the sites through their dependencies and from dependent services, times any "
      "surge and the time-of-day demand factor) times 1 - its availability"};
  static constexpr SeriesDeclaration site{"site", "failed_rps", "requests/s", "site name",
                                          "the site's rate (times the demand factor) times 1 - its availability"};
  static constexpr std::array declared{provider, service, site};

  explicit FailedRateSeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  const world::World& world_;
  std::vector<std::string> providers_;
  std::vector<std::size_t> sites_;  ///< the sites with series
  std::vector<SeriesId> provider_, service_, site_;  ///< parallel to providers_, services, sites_
};

}  // namespace outagesim::metrics
