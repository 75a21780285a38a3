// Availability per provider, service, region and site.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class EntityAvailabilitySeries {
 public:
  static constexpr SeriesDeclaration provider{"provider", "availability", "fraction", "provider name",
                                              "capacity-weighted share of requests its instances serve",
                                              ReportView::services_chart};
  static constexpr SeriesDeclaration service{"service", "availability", "fraction", "`provider.service`",
                                             "same, for one service", ReportView::services_chart};
  static constexpr SeriesDeclaration region{"region", "availability", "fraction", "region name",
                                            "same, for the instances in one region"};
  static constexpr SeriesDeclaration site{"site", "availability", "fraction", "site name",
                                          "share of the site's requests served (product over hard dependencies)",
                                          ReportView::affected_sites_table};
  static constexpr std::array declared{provider, service, region, site};

  explicit EntityAvailabilitySeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  const world::World& world_;
  std::vector<std::string> providers_;
  std::vector<std::size_t> sites_;  ///< the sites with series
  std::vector<SeriesId> provider_, service_, region_, site_;  ///< parallel to providers_, services, regions, sites_
  /// The instances of each provider and of each region, in instance order:
  /// found once, not by a pass over every instance per entity and sample.
  std::vector<std::vector<std::size_t>> provider_instances_, region_instances_;
};

}  // namespace outagesim::metrics
