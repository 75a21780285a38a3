// The scopes and metrics of timeseries.csv as the scenario language knows
// them, to check `output.series` filters when the scenario loads. The series
// themselves are declared in sim/metrics/series/, a later stage the loader
// may not include; a test (SeriesFilterNames.AreTheDeclaredSeries) holds
// these lists equal to those declarations.
#include "scenario.hpp"

namespace outagesim::scenario {

const std::vector<std::string_view>& series_scopes() {
  static const std::vector<std::string_view> scopes{"global",  "provider", "service", "region",
                                                    "site",    "channel",  "segment", "client_region"};
  return scopes;
}

const std::vector<std::string_view>& series_metrics() {
  static const std::vector<std::string_view> metrics{
      "availability",  "failed_rps",     "sites_down",    "failed_requests_cumulative", "config_reach",
      "offered_rps",   "goodput_rps",    "wasted_rps",    "queue_wait_s",  "latency_p50_s",              "latency_p95_s",
      "lease_share",   "hit_rate",       "cache_fill",    "dns_query_rps", "dns_answered",  "client_availability",
      "client_latency_s"};
  return metrics;
}

}  // namespace outagesim::scenario
