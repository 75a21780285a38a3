// The traffic model's view of the services that queue, retry or hold leases
// (or are slowed by a latency_injection fault): one entity's metrics
// together, in the order declared.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class TrafficSeries {
 public:
  static constexpr SeriesDeclaration offered_rps{
      "service", "offered_rps", "requests/s", "`provider.service`",
      "services with memory (a queue, retries, leases or a backlog; docs/models/traffic.md) or hit by a "
      "`latency_injection` fault only: every attempt offered: first attempts, retries, re-sent backlog and lease "
      "work"};
  static constexpr SeriesDeclaration goodput_rps{
      "service", "goodput_rps", "requests/s", "`provider.service`",
      "same services: work answered in time and without error, counted as the service answers it (never more than "
      "it serves, nor than its capacity; while a queue fills it lags the sites' availability, which counts requests "
      "as they arrive: docs/models/traffic.md)"};
  static constexpr SeriesDeclaration wasted_rps{
      "service", "wasted_rps", "requests/s", "`provider.service`",
      "same services: work served on attempts answered after their clients' timeout, spent for nothing (the served "
      "work is goodput, errors and this; with `cpu`, wasted_rps x cost is the cores it keeps busy)"};
  static constexpr SeriesDeclaration queue_wait_s{
      "service", "queue_wait_s", "s", "`provider.service`",
      "same services: mean wait in the queue of the attempts arriving; never more than the queue's `max_wait`"};
  static constexpr SeriesDeclaration latency_p50_s{
      "service", "latency_p50_s", "s", "`provider.service`",
      "same services: median of the response time (queue wait plus injected latency) of the attempts answered "
      "before their timeout; network latency not included"};
  static constexpr SeriesDeclaration latency_p95_s{"service", "latency_p95_s", "s", "`provider.service`",
                                                   "same services: 95th percentile of the same response time"};
  static constexpr SeriesDeclaration lease_share{"service", "lease_share", "fraction", "`provider.service`",
                                                 "same services: share of lease units held (1 without leases)"};
  static constexpr std::array declared{offered_rps,   goodput_rps,   wasted_rps, queue_wait_s,
                                       latency_p50_s, latency_p95_s, lease_share};

  explicit TrafficSeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  const world::World& world_;
  std::vector<std::size_t> services_;                         ///< the services with these series
  std::vector<std::array<SeriesId, declared.size()>> series_;  ///< parallel to services_, in declared's order
};

}  // namespace outagesim::metrics
