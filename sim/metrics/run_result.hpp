// Everything a run measured, as plain values: the sampled series and the
// headline metrics derived from them. The collector fills it; the run
// directory writers and the report read it.
#pragma once

#include "sim/scenario/scenario.hpp"
#include "sim/world/marker_kind.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace outagesim::metrics {

/// One named series sampled at every tick, e.g. a site's availability. Its
/// scope and metric are those of a declaration (metrics/series/).
struct Series {
  std::string scope;   ///< global | provider | service | region | site | channel | segment
  std::string entity;  ///< "" for global, else the entity's id
  std::string metric;  ///< availability | failed_rps | config_reach | ...
  std::vector<double> values;  ///< one per tick; none when the run did not hold it (`held`)
  /// Whether the run kept its values after sampling them: only the series
  /// something reads after the run are held (series_retention.hpp); every
  /// series is streamed to timeseries.csv as it is sampled either way.
  bool held = true;
};

struct FaultOutcome {
  std::string id;
  std::string channel;
  std::optional<double> injected_at;   ///< seconds from start
  // Defined in docs/outputs.md (summary.json, "A fault's lifecycle").
  std::optional<double> detected_at;   ///< first detection after injection, before recovery
  std::optional<double> mitigated_at;  ///< first action reducing its own effect, before recovery
  std::optional<double> recovered_at;  ///< when its effect was gone
  // blast radius, from the attribution of failed requests
  int sites_affected = 0;             ///< sites with an outage interval attributed (in part) to it
  double traffic_share_affected = 0;  ///< peak share of all offered requests failing because of it
  double failed_requests = 0;         ///< failed requests attributed to it, every site, whole run
  double request_minutes_lost = 0;    ///< site rps x minutes down x its share, over its outage intervals
  std::optional<double> user_minutes_lost{};  ///< site users x minutes down x its share; none when no site gives users
};

/// A fault's part of the failed requests of an outage interval.
struct FaultShare {
  std::string fault;  ///< fault id; empty: no recorded cause
  double share = 0;
};

/// A site's outage: consecutive samples with its availability below site_down_below.
struct OutageInterval {
  std::string site;
  double start_s = 0;               ///< first sample down
  std::optional<double> end_s;      ///< first sample up again; none if the run ended down
  double failed_requests = 0;       ///< the site's, over the interval
  std::vector<FaultShare> shares;   ///< sum to 1; faults in declaration order, no cause last
};

struct ChannelOutcome {
  std::string id;
  int consumers = 0;
  std::optional<double> first_bad_push_at;  ///< seconds from start
  std::optional<double> reach_t50;          ///< seconds after the first bad push until 50% run a bad version
  std::optional<double> reach_t95;          ///< same, 95%
};

/// A marker on the report's timeline: a fault firing or ending, or an operator acting.
struct TimelineMark {
  double t_s = 0;
  std::string label;
  world::MarkerKind kind = world::MarkerKind::action;
};

/// What kind of safeguard a scenario declares (metrics/safeguards.hpp).
enum class SafeguardKind { dns_failover, load_balancer_failover, zone_failover, health_gate, detection };

/// A safeguard the scenario declares and every time the run set it off.
struct SafeguardOutcome {
  SafeguardKind kind = SafeguardKind::detection;
  std::string entity;  ///< record, service, channel or operator team
  std::vector<double> triggered_at;  ///< s from start, in order
  /// Failovers are what a scenario counts on to route around a fault.
  [[nodiscard]] bool is_failover() const {
    return kind == SafeguardKind::dns_failover || kind == SafeguardKind::load_balancer_failover ||
           kind == SafeguardKind::zone_failover;
  }
};

struct RunResult {
  // identity
  std::string scenario;
  std::uint64_t seed = 0;
  double start_epoch_s = 0;
  double duration_s = 0;
  double resolution_s = 0;
  double site_down_below = 0;
  int sites = 0;
  std::optional<std::vector<scenario::SeriesFilter>> series_filters;  ///< rows of timeseries.csv to write (none: all)
  scenario::Compression timeseries_compression = scenario::Compression::none;

  // how the run ended
  bool interrupted = false;  ///< stopped early (SIGINT, SIGTERM) before duration_s
  double reached_s = 0;      ///< simulated time reached: duration_s, or the last sample of an interrupted run

  // series
  std::vector<double> t_s;    ///< tick times, seconds from start
  std::vector<Series> series; ///< every series, in the declared order (metrics/series/observers.hpp); values only if held

  // headline metrics
  double availability_min = 1;
  double availability_mean = 1;  ///< request-weighted over the run
  double failed_requests = 0;
  int sites_affected = 0;
  std::optional<double> impact_start;  ///< first tick with global availability below 1
  std::optional<double> impact_end;    ///< first tick back at 1 after the last impaired one; null if never
  std::vector<FaultOutcome> faults;
  std::vector<ChannelOutcome> channels;
  std::vector<TimelineMark> marks;
  std::vector<SafeguardOutcome> safeguards;  ///< declared_safeguards' order
  std::vector<OutageInterval> outages;     ///< by start, then site order
  double failed_requests_unattributed = 0; ///< failed requests with no recorded cause

  /// The series with this scope, entity and metric, or nullptr.
  [[nodiscard]] const Series* find(const std::string& scope, const std::string& entity,
                                   const std::string& metric) const;
};

}  // namespace outagesim::metrics
