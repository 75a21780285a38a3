// DNS authorities under query load (docs/models/dns.md, "Authorities under
// query load"): the queries their resolvers send them and the share of the
// refreshes they answer. Only authorities whose records declare `resolvers`
// have these series, so scenarios without them keep their outputs.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class DnsQuerySeries {
 public:
  static constexpr SeriesDeclaration dns_query_rps{
      "service", "dns_query_rps", "queries/s", "`provider.service`",
      "DNS authorities whose records declare `resolvers` only: every query offered now: the resolvers' refreshes "
      "(min(resolvers / ttl, requests) per record), times any `load_surge`, plus the resolvers' retries"};
  static constexpr SeriesDeclaration dns_answered{
      "service", "dns_answered", "fraction", "`provider.service`",
      "same services: share of the resolvers' refreshes answered in time, after their retries; the rest are "
      "served stale for `serve_stale`, then fail (0: unreachable)"};
  static constexpr std::array declared{dns_query_rps, dns_answered};

  explicit DnsQuerySeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  const world::World& world_;
  std::vector<std::size_t> authorities_;                       ///< the services with these series
  std::vector<std::array<SeriesId, declared.size()>> series_;  ///< parallel to authorities_, in declared's order
};

}  // namespace outagesim::metrics
