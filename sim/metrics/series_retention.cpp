#include "series_retention.hpp"

#include "series.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace outagesim::metrics {
namespace {

bool is(const Series& s, std::string_view scope, std::string_view metric) {
  return s.scope == scope && s.metric == metric;
}

/// Collector::finish derives the headline metrics from these two.
bool read_by_headline(const Series& s) {
  return s.entity.empty() && (is(s, "global", "availability") || is(s, "global", "failed_rps"));
}

}  // namespace

bool read_by_report(const Series& s) {
  // The charts and tables the declarations name (the global line, config
  // reach, providers and services, the most affected sites).
  if (const SeriesDeclaration* declared = find_series_declaration(s.scope, s.metric);
      declared != nullptr && declared->shown_in != ReportView::none)
    return true;
  // "Queues and latency" (queues_section): load, goodput, wasted work, wait, p95 and leases per service.
  static constexpr std::array<std::string_view, 6> queue_metrics{"offered_rps",  "goodput_rps",   "wasted_rps",
                                                                 "queue_wait_s", "latency_p95_s", "lease_share"};
  if (s.scope == "service" && std::find(queue_metrics.begin(), queue_metrics.end(), s.metric) != queue_metrics.end())
    return true;
  // "Most affected, one by one" (most_affected_section): sites ranked by
  // their failed requests, regions by their availability.
  return is(s, "site", "failed_rps") || is(s, "region", "availability");
}

SeriesRetention SeriesRetention::with_report(std::vector<SeriesKey> asked) {
  return {Readers::report, std::move(asked)};
}

SeriesRetention SeriesRetention::without_report(std::vector<SeriesKey> asked) {
  return {Readers::headline, std::move(asked)};
}

SeriesRetention SeriesRetention::every_series() { return {Readers::everything, {}}; }

bool SeriesRetention::holds(const Series& s) const {
  if (readers_ == Readers::everything || read_by_headline(s)) return true;
  if (readers_ == Readers::report && read_by_report(s)) return true;
  return std::any_of(asked_.begin(), asked_.end(), [&](const SeriesKey& k) {
    return k.scope == s.scope && k.entity == s.entity && k.metric == s.metric;
  });
}

}  // namespace outagesim::metrics
