#include "global.hpp"

namespace outagesim::metrics {

void GlobalSeries::add_series(SeriesTable& table) {
  availability_ = table.add(availability, "");
  failed_rps_ = table.add(failed_rps, "");
  sites_down_ = table.add(sites_down, "");
  failed_cumulative_ = table.add(failed_requests_cumulative, "");
}

void GlobalSeries::sample(const Sample& s, SeriesTable& table) const {
  const world::Availability& a = s.availability;
  table.push(availability_, a.global);
  table.push(failed_rps_, a.failed_rps);
  table.push(sites_down_, a.sites_down);
  table.push(failed_cumulative_, integrated_so_far(table, failed_rps_, failed_cumulative_, s));
}

}  // namespace outagesim::metrics
