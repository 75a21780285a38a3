// Domain events: every state change of a run, with the time it happened and
// what caused it. Models and the engine emit them; the metrics collector and
// the event log observe them. Plain values, printable by the metrics stage.
#pragma once

#include <string>
#include <variant>

namespace outagesim::world {

/// A fault fired (for a bad push: its version left the publisher).
struct FaultInjected {
  int fault = -1;
  int version = -1;  ///< global version index it published, or -1
};

/// A transient fault ran its course (for a bad push: the good version was
/// published again).
struct FaultEnded {
  int fault = -1;
  int version = -1;  ///< global version index it published, or -1
};

/// An operator action was taken.
struct OperatorActed {
  int action = -1;   ///< index into World::actions
  int version = -1;  ///< the version it published, or -1
};

/// A consumer applied a version and now behaves accordingly.
struct ConfigApplied {
  int channel = -1;
  int consumer = -1;  ///< position among the channel's consumers
  int instance = -1;
  int version = -1;
  double error_rate = 0;  ///< the instance's error rate after applying
};

/// A consumer refused a version it fails on and kept its last known good one.
struct ConfigRejected {
  int channel = -1;
  int consumer = -1;
  int instance = -1;
  int version = -1;
};

/// A generator or a publisher made a new version.
struct ConfigPublished {
  int channel = -1;
  int version = -1;
};

/// A rollout offered `version` to consumers up to `share` of the channel (a wave).
struct RolloutWave {
  int channel = -1;
  int version = -1;
  int wave = 0;       ///< 0-based
  double share = 0;   ///< of the channel's consumers, cumulative
};

/// A rollout stopped before reaching every consumer.
struct RolloutHalted {
  int channel = -1;
  int version = -1;
  bool by_health_gate = false;  ///< else stopped by an operator
  bool rolled_back = false;     ///< the updated consumers were sent the previous version
  double error_rate = 0;        ///< of the updated consumers, when the gate tripped
};

/// An operator's detection rule fired and was reported to the team.
struct OperatorDetected {
  int team = -1;  ///< index into World::operators
  int rule = -1;
  double value = 0;  ///< the metric when it fired
};

/// An operator team finished diagnosing and acts.
struct OperatorDiagnosed {
  int team = -1;
};

/// An instance changed state other than by config (crash, capacity, latency).
struct InstanceChanged {
  int instance = -1;
  bool up = true;
  double capacity_factor = 1;
  double added_latency_s = 0;
};

/// A service's admission, offered load or capacity changed (throttling,
/// shedding, surges, scaling).
struct ServiceChanged {
  int service = -1;
  double admit = 1;
  double load_factor = 1;
  double capacity_scale = 1;
};

/// A service went into overload (waits past its clients' timeout, or load
/// refused for lack of room in its queue) or came out of it.
struct ServiceOverload {
  int service = -1;
  bool overloaded = false;
  double wait_s = 0;        ///< mean queue wait
  double offered_rps = 0;   ///< every attempt, retries included
  double capacity_rps = 0;
};

/// An operator rerouted a service's dependency: from now on `service` uses
/// `to` wherever it used `from`.
struct DependencyRerouted {
  int service = -1;
  int from = -1;
  int to = -1;
};

enum class RecordChangeReason {
  empty,                 ///< a dns_record_change emptied it
  wrong_target,          ///< a dns_record_change pointed it elsewhere
  restored,              ///< a dns_record_change ended
  failover,              ///< health checks failed: it answers its secondary
  failback,              ///< health checks passed again: back to its primary
  failover_disabled,     ///< by an operator: the health check counts as healthy
  failover_enabled,      ///< by an operator: health checks count again
  authority_unreachable, ///< its authoritative server answers nothing: caches go stale
  authority_reachable,   ///< its authoritative server answers again
};

constexpr const char* reason_name(RecordChangeReason reason) {
  switch (reason) {
    case RecordChangeReason::empty: return "empty";
    case RecordChangeReason::wrong_target: return "wrong_target";
    case RecordChangeReason::restored: return "restored";
    case RecordChangeReason::failover: return "failover";
    case RecordChangeReason::failback: return "failback";
    case RecordChangeReason::failover_disabled: return "failover_disabled";
    case RecordChangeReason::failover_enabled: return "failover_enabled";
    case RecordChangeReason::authority_unreachable: return "authority_unreachable";
    case RecordChangeReason::authority_reachable: return "authority_reachable";
  }
  return "";
}

/// What a DNS record's authoritative server answers changed, or whether it
/// can be reached; resolvers' caches follow over one TTL (docs/models/dns.md).
struct RecordChanged {
  int record = -1;
  int answer = -1;  ///< the service it resolves to now, or -1: empty
  RecordChangeReason reason = RecordChangeReason::empty;
  /// authority_unreachable / authority_reachable for one client region's
  /// resolvers only (a partition cut them off); -1: for every client.
  int client_region = -1;
};

enum class LoadBalancerChangeReason {
  target_unhealthy,   ///< a target failed `unhealthy_threshold` checks in a row
  target_healthy,     ///< a target passed `healthy_threshold` checks in a row
  zone_withdrawn,     ///< a region's healthy share fell below the minimum: all its targets are out
  zone_restored,      ///< a withdrawn region's healthy share is back at the minimum
  failed_open,        ///< no target would be left: every target gets traffic
  failed_closed,      ///< targets pass again: routing follows the checks again
  failover_disabled,  ///< by an operator: every target gets traffic whatever the checks say
  failover_enabled,   ///< by an operator: the checks count again
};

constexpr const char* reason_name(LoadBalancerChangeReason reason) {
  switch (reason) {
    case LoadBalancerChangeReason::target_unhealthy: return "target_unhealthy";
    case LoadBalancerChangeReason::target_healthy: return "target_healthy";
    case LoadBalancerChangeReason::zone_withdrawn: return "zone_withdrawn";
    case LoadBalancerChangeReason::zone_restored: return "zone_restored";
    case LoadBalancerChangeReason::failed_open: return "failed_open";
    case LoadBalancerChangeReason::failed_closed: return "failed_closed";
    case LoadBalancerChangeReason::failover_disabled: return "failover_disabled";
    case LoadBalancerChangeReason::failover_enabled: return "failover_enabled";
  }
  return "";
}

/// A load balancer's view of a target or a zone changed
/// (docs/models/load-balancing.md). Whether a target serves is reported by
/// the InstanceChanged that follows, with the same cause.
struct LoadBalancerChanged {
  int service = -1;   ///< the service behind the load balancer
  int instance = -1;  ///< target_unhealthy, target_healthy: the target
  int region = -1;    ///< zone_withdrawn, zone_restored: the zone
  int in_service = 0;  ///< targets getting traffic after the change
  LoadBalancerChangeReason reason = LoadBalancerChangeReason::target_unhealthy;
};

struct Event {
  double t_s = 0;
  std::variant<FaultInjected, FaultEnded, OperatorActed, ConfigApplied, ConfigRejected, ConfigPublished, RolloutWave,
               RolloutHalted, OperatorDetected, OperatorDiagnosed, InstanceChanged, ServiceChanged, ServiceOverload,
               RecordChanged, DependencyRerouted, LoadBalancerChanged>
      what;
  /// root cause: "fault:<id>", "operator:<name>", "generator:<channel>", "health_check:<record>" or
  /// "load_balancer:<service>"
  std::string cause;
};

}  // namespace outagesim::world
