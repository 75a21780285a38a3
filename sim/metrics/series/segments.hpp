// Traffic segments: a share of a service's traffic with its own
// configuration (e.g. the customers with the Managed Ruleset). One
// segment's metrics together, in the order declared.
#pragma once

#include "sim/metrics/series.hpp"

#include <array>

namespace outagesim::metrics {

class SegmentSeries {
 public:
  static constexpr SeriesDeclaration availability{
      "segment", "availability", "fraction", "`provider.service/segment`",
      "share of the segment's requests served: the service's availability with the error share of all its traffic "
      "replaced by that of the segment (capacity and dependencies hit every segment alike; config effects may hit "
      "one segment only)",
      ReportView::services_chart};
  static constexpr SeriesDeclaration failed_rps{
      "segment", "failed_rps", "requests/s", "`provider.service/segment`",
      "the segment's share of the load offered to the service (times surges and demand) times 1 - its availability"};
  static constexpr std::array declared{availability, failed_rps};

  explicit SegmentSeries(const world::World& world) : world_(world) {}
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

 private:
  /// Availability of one traffic segment of a service.
  [[nodiscard]] double segment_availability(std::size_t service, std::size_t segment, double service_availability,
                                            const world::WorldState& state) const;

  const world::World& world_;
  /// [service][segment], in declared's order
  std::vector<std::vector<std::array<SeriesId, declared.size()>>> series_;
};

}  // namespace outagesim::metrics
