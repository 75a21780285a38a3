// Config reach: which consumers run a bad version, mirrored from the
// config_applied events so that no sample recounts them. It gives each
// channel's config_reach series, its reach times and when a bad push's fault
// recovered (no consumer runs its versions any more).
#pragma once

#include "sim/metrics/series.hpp"
#include "sim/world/events.hpp"

#include <array>

namespace outagesim::metrics {

class ConfigReachSeries {
 public:
  static constexpr SeriesDeclaration channel{"channel", "config_reach", "fraction", "`provider.channel`",
                                             "share of the channel's consumers running a bad version",
                                             ReportView::config_reach_chart};
  static constexpr std::array declared{channel};

  explicit ConfigReachSeries(const world::World& world);
  void add_series(SeriesTable& table);
  void sample(const Sample& s, SeriesTable& table) const;

  /// A consumer applied a version: updates the channel's reach times and the
  /// recovery of the faults whose versions it stopped or started running.
  void on_config_applied(double t_s, const world::ConfigApplied& applied, const world::WorldState& state,
                         RunResult& result);

 private:
  const world::World& world_;
  std::vector<SeriesId> channel_;           ///< per channel
  std::vector<std::vector<int>> running_;   ///< per channel and consumer: the version it runs, or -1
  std::vector<int> consumers_;              ///< per channel
  std::vector<int> bad_consumers_;          ///< per channel
  std::vector<int> fault_consumers_;        ///< per fault: consumers running one of its versions
};

}  // namespace outagesim::metrics
