// Every series observer, in the order their series come in each sample's
// rows of timeseries.csv and in docs/outputs.md's table. A new group of
// series is one more type here; a new series in a group is one more
// declaration in its observer.
#pragma once

#include "caches.hpp"
#include "config_reach.hpp"
#include "cumulative.hpp"
#include "dns_queries.hpp"
#include "entity_availability.hpp"
#include "failed_rates.hpp"
#include "global.hpp"
#include "routing.hpp"
#include "segments.hpp"
#include "traffic.hpp"

#include <tuple>

namespace outagesim::metrics {

/// CumulativeFailureSeries last: it integrates the failed rates added before it.
using SeriesObservers = std::tuple<GlobalSeries, EntityAvailabilitySeries, ConfigReachSeries, FailedRateSeries,
                                   TrafficSeries, CacheSeries, DnsQuerySeries, RoutingSeries, SegmentSeries, CumulativeFailureSeries>;

/// Every observer, each for `world`; none has added its series yet.
template <class... Observers>
std::tuple<Observers...> observers_for(const world::World& world, const std::tuple<Observers...>* /*order*/ = nullptr) {
  return std::tuple<Observers...>{Observers(world)...};
}

}  // namespace outagesim::metrics
