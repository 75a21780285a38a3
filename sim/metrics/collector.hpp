// The metrics collector: an observer of a run. It never changes the world;
// it samples availability at every tick through the models, follows config
// reach from the events, and derives the headline metrics at the end.
#pragma once

#include "mitigation.hpp"
#include "outage_attribution.hpp"
#include "run_result.hpp"
#include "sim/world/evaluator.hpp"
#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <optional>
#include <vector>

namespace outagesim::metrics {

class Collector : public world::RunObserver {
 public:
  explicit Collector(const world::World& world);

  void on_event(const world::Event& event, const world::WorldState& state) override;
  void on_sample(double t_s, const world::WorldState& state) override;

  /// The headline metrics, derived from what was observed. Call once, after
  /// the run; `interrupted_at`: the last sample of a run stopped early, which
  /// then ends there (its last sample weighs nothing).
  RunResult finish(std::optional<double> interrupted_at = std::nullopt);

 private:
  std::vector<double>& values(std::size_t series) { return result_.series[series].values; }
  void on_config_applied(double t_s, const world::ConfigApplied& applied, const world::WorldState& state);

  const world::World& world_;
  world::Evaluator evaluator_;  ///< recomputes at each sample only what changed
  RunResult result_;
  // Index of the first series of each scope in result_.series.
  std::size_t provider_series_ = 0, service_series_ = 0, region_series_ = 0, site_series_ = 0, channel_series_ = 0;
  std::size_t failed_series_ = 0;  ///< failed_rps: providers, then services, then sites with a series
  /// Availability of one traffic segment of a service (docs/outputs.md).
  [[nodiscard]] double segment_availability(std::size_t service, std::size_t segment, double service_availability,
                                            const world::WorldState& state) const;
  /// (failed_rps series, its failed_requests_cumulative series), below global.
  std::vector<std::pair<std::size_t, std::size_t>> cumulative_;
  std::size_t segment_series_ = 0;  ///< per service segment: availability, failed_rps
  std::size_t traffic_series_ = 0;  ///< per service with memory: the traffic model's metrics
  std::vector<std::size_t> traffic_services_;
  std::vector<std::size_t> regional_sites_;  ///< with client regions: sites through a DNS record, with series per client region
  std::size_t routing_series_ = 0;  ///< with client regions: per service and client region, then global latency
  std::vector<double> offered_;     ///< offered rps at each sample (demand varies over the day)
  // What each consumer runs, mirrored from the events, so reach needs no recount.
  std::vector<std::vector<int>> running_;
  std::vector<int> bad_consumers_;     ///< per channel
  std::vector<int> fault_consumers_;   ///< per fault: consumers running one of its versions
  std::vector<int> series_sites_;      ///< the sites with a series, in site order
  std::vector<bool> site_down_;        ///< per site: down in at least one sample so far
  std::vector<bool> class_down_;       ///< per site class: likewise
  OutageAttribution attribution_;
  Mitigation mitigation_;
};

}  // namespace outagesim::metrics
