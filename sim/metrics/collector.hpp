// The metrics collector: an observer of a run. It never changes the world;
// it samples availability at every tick through the models, hands each
// sample to the series observers (series/observers.hpp), follows fault
// lifecycles and config reach from the events, and derives the headline
// metrics at the end. Each sample's row of series goes to the timeseries
// writer, if any, as it is taken; only the series the retention names are
// held in the RunResult (series_retention.hpp).
#pragma once

#include "mitigation.hpp"
#include "outage_attribution.hpp"
#include "run_result.hpp"
#include "series.hpp"
#include "series_retention.hpp"
#include "timeseries_writer.hpp"
#include "series/observers.hpp"
#include "sim/world/evaluator.hpp"
#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <optional>
#include <vector>

namespace outagesim::metrics {

class Collector : public world::RunObserver {
 public:
  /// `rows`: where each sample's rows of timeseries.csv go (none: no file);
  /// it must outlive the collector's run.
  Collector(const world::World& world, const SeriesRetention& retention, TimeseriesWriter* rows = nullptr);

  void on_event(const world::Event& event, const world::WorldState& state) override;
  void on_sample(double t_s, const world::WorldState& state) override;

  /// The headline metrics, derived from what was observed. Call once, after
  /// the run; `interrupted_at`: the last sample of a run stopped early, which
  /// then ends there (its last sample weighs nothing).
  RunResult finish(std::optional<double> interrupted_at = std::nullopt);

 private:
  const world::World& world_;
  world::Evaluator evaluator_;  ///< recomputes at each sample only what changed
  RunResult result_;
  SeriesTable table_{result_.series};
  SeriesObservers series_;
  TimeseriesWriter* rows_;
  std::vector<double> offered_;  ///< offered rps at each sample (demand varies over the day)
  std::vector<bool> site_down_;  ///< per site: down in at least one sample so far
  std::vector<bool> class_down_; ///< per site class: likewise
  OutageAttribution attribution_;
  Mitigation mitigation_;
};

}  // namespace outagesim::metrics
