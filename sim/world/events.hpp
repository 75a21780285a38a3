// Domain events: every state change of a run, with the time it happened and
// what caused it. Models and the engine emit them; the metrics collector and
// the event log observe them.
//
// This file is the one place that declares every event type. Next to each
// type: its `kind` in events.jsonl and the rows of docs/outputs.md
// (`declared`), how it writes its keys (`write`, defined in events.cpp in the
// same order) and whether it marks the report's timeline (`marker`). A type
// left out of any of these does not compile (`DeclaredEvent` below), and a
// test checks docs/outputs.md against the declarations.
#pragma once

#include "marker_kind.hpp"
#include "state.hpp"
#include "world.hpp"

#include <array>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace outagesim::world {

/// What events.jsonl and docs/outputs.md say of one event type.
struct EventDeclaration {
  std::string_view kind;         ///< the `kind` key of events.jsonl
  std::string_view description;  ///< one line: what happened
  std::string_view entity;       ///< what the `entity` key names
  std::string_view keys;         ///< the other keys, as docs/outputs.md lists them
};

/// Where an event writes its keys, in order (events.jsonl: metrics/event_log.cpp).
class EventFields {
 public:
  virtual ~EventFields() = default;
  virtual void text(const char* key, const std::string& value) = 0;
  virtual void null(const char* key) = 0;
  virtual void number(const char* key, double value) = 0;
  virtual void count(const char* key, int value) = 0;
  virtual void flag(const char* key, bool value) = 0;
};

/// What an event's keys and markers are read against: names come from the
/// world, version labels from the state.
struct EventContext {
  const World& world;
  const WorldState& state;
  [[nodiscard]] std::string version_label(int version) const {
    return state.versions[static_cast<std::size_t>(version)].label(world);
  }
};

/// A marker on the report's timeline: a fault firing, a fault ending, or an
/// operator (or a health gate) acting.
struct EventMarker {
  std::string label;
  MarkerKind kind = MarkerKind::action;
};

/// A fault fired (for a bad push: its version left the publisher).
struct FaultInjected {
  static constexpr EventDeclaration declared{
      "fault_injected", "a fault fired (for a bad push: its version left the publisher)", "fault id",
      "`fault_kind`; `channel`, `version` (the bad version it published, `channel@vN`) for a config push"};
  int fault = -1;
  int version = -1;  ///< global version index it published, or -1
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;  ///< "fault <id>"
};

/// A transient fault ran its course (for a bad push: the good version was
/// published again).
struct FaultEnded {
  static constexpr EventDeclaration declared{
      "fault_ended", "a fault ran its course, or an operator ended it", "fault id",
      "`fault_kind`; `channel`, `version` (the good version published again) for a config push. `cause` is the "
      "fault when its duration or its own timeline ended it, the operator when a restart did"};
  int fault = -1;
  int version = -1;  ///< global version index it published, or -1
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;  ///< "end of fault <id>"
};

/// An operator action was taken.
struct OperatorActed {
  static constexpr EventDeclaration declared{
      "operator_action", "an operator action was taken", "operator name",
      "`action` (`revert`, `throttle`, `scale`, `reroute`...); `channel` and `version` (the good version published) "
      "for channel actions; `service` for the actions on a service (throttle, shed_load, scale, restart, reroute, "
      "change_demand, shed_at_edge, set_retry_policy); `from`, `to` for a reroute"};
  int action = -1;   ///< index into World::actions
  int version = -1;  ///< the version it published, or -1
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;  ///< "<team>: <action> <target>"
};

/// A generator or a publisher made a new version.
struct ConfigPublished {
  static constexpr EventDeclaration declared{"config_published", "a generator or a publisher made a new version",
                                             "channel `provider.channel`",
                                             "`version`, `bad` (whether it carries a fault)"};
  int channel = -1;
  int version = -1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A consumer applied a version and now behaves accordingly.
struct ConfigApplied {
  static constexpr EventDeclaration declared{
      "config_applied", "a consumer applied a version and now behaves accordingly",
      "instance id `provider.service/region/k`",
      "`channel`, `version`, `error_rate` (the instance's error rate after applying)"};
  int channel = -1;
  int consumer = -1;  ///< position among the channel's consumers
  int instance = -1;
  int version = -1;
  double error_rate = 0;  ///< the instance's error rate after applying
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A consumer refused a version it fails on and kept its last known good one.
struct ConfigRejected {
  static constexpr EventDeclaration declared{
      "config_rejected", "a consumer refused a version it fails on and kept its last known good one", "instance id",
      "`channel`, `version`: a last-known-good consumer refused a version it fails on"};
  int channel = -1;
  int consumer = -1;
  int instance = -1;
  int version = -1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A rollout offered `version` to consumers up to `share` of the channel (a wave).
struct RolloutWave {
  static constexpr EventDeclaration declared{
      "rollout_wave", "a rollout offered a version to one more wave of consumers", "channel",
      "`version`, `wave` (0-based), `share` (of consumers offered the version so far)"};
  int channel = -1;
  int version = -1;
  int wave = 0;       ///< 0-based
  double share = 0;   ///< of the channel's consumers, cumulative
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A rollout stopped before reaching every consumer.
struct RolloutHalted {
  static constexpr EventDeclaration declared{
      "rollout_halted", "a rollout stopped before reaching every consumer", "channel",
      "`version`, `by` (`health_gate` or `operator`), `rolled_back`, `error_rate` (when the gate tripped)"};
  int channel = -1;
  int version = -1;
  bool by_health_gate = false;  ///< else stopped by an operator
  bool rolled_back = false;     ///< the updated consumers were sent the previous version
  double error_rate = 0;        ///< of the updated consumers, when the gate tripped
  void write(EventFields& out, const EventContext& c) const;
  /// "health gate: rollout of <channel> halted [and rolled back]", or "operator: ..."
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;
};

/// An operator's detection rule fired and was reported to the team.
struct OperatorDetected {
  static constexpr EventDeclaration declared{
      "operator_detected", "an operator team's detection rule fired and was reported to it", "operator name",
      "`rule` (index of the detection rule), `value` (the metric when it fired)"};
  int team = -1;  ///< index into World::operators
  int rule = -1;
  double value = 0;  ///< the metric when it fired
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;  ///< "<team> detects"
};

/// An operator team finished diagnosing and acts.
struct OperatorDiagnosed {
  static constexpr EventDeclaration declared{"operator_diagnosed", "an operator team finished diagnosing and acts",
                                             "operator name", "none"};
  int team = -1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A service an operator team needs was failing when the team needed it.
struct OperatorHeld {
  static constexpr EventDeclaration declared{
      "operator_held", "a service an operator team needs was failing when the team needed it", "operator name",
      "`service`, `stage` (`detection`, `diagnosis` or `actions`), `slowdown` (null: blocked), `out_of_band_at` "
      "(when its other way in is up; null: none)"};
  int team = -1;
  int service = -1;
  scenario::OperatorStage stage = scenario::OperatorStage::detection;
  double slowdown = 0;                   ///< 0: blocked
  std::optional<double> out_of_band_at;  ///< simulated time
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// An instance changed state other than by config (crash, capacity, latency).
struct InstanceChanged {
  static constexpr EventDeclaration declared{
      "instance_changed", "an instance changed state other than by config (crash, capacity, latency)", "instance id",
      "`up`, `capacity_factor`, `added_latency_s`"};
  int instance = -1;
  bool up = true;
  double capacity_factor = 1;
  double added_latency_s = 0;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A service's admission, offered load or capacity changed (throttling,
/// shedding, surges, scaling).
struct ServiceChanged {
  static constexpr EventDeclaration declared{
      "service_changed", "a service's admission, offered load or capacity changed (throttling, shedding, surges, scaling)",
      "service `provider.service`", "`admit`, `load_factor`, `capacity_scale`"};
  int service = -1;
  double admit = 1;
  double load_factor = 1;
  double capacity_scale = 1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// What a service's clients send changed, by an operator's action: the
/// multiplier of their load, the share of first attempts turned away at the
/// edge, or their retry policy (the one in force afterwards).
struct ClientsChanged {
  static constexpr EventDeclaration declared{
      "clients_changed",
      "what a service's clients send changed (change_demand, shed_at_edge, set_retry_policy); the values in force after",
      "service `provider.service`", "`demand_factor`, `turned_away`, `max_retries`, `retry_budget` (null: none)"};
  int service = -1;
  double demand_factor = 1;
  double turned_away = 0;
  int max_retries = 0;
  std::optional<double> retry_budget;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// A service went into overload (waits past its clients' timeout, or load
/// refused for lack of room in its queue) or came out of it.
struct ServiceOverload {
  static constexpr EventDeclaration declared{
      "service_overload", "a service went into overload or came out of it", "service",
      "`overloaded` (true when it enters overload: waits past the clients' timeout, or arrivals refused for lack of "
      "room; false when it leaves), `wait_s`, `offered_rps` (every attempt, retries and outstanding work included), "
      "`capacity_rps`; `cause` is the fault pressing on it when the episode began, kept until it ends "
      "(docs/models/traffic.md), or `overload` when none"};
  int service = -1;
  bool overloaded = false;
  double wait_s = 0;        ///< mean queue wait
  double offered_rps = 0;   ///< every attempt, retries included
  double capacity_rps = 0;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
};

/// An operator rerouted a service's dependency: from now on `service` uses
/// `to` wherever it used `from`.
struct DependencyRerouted {
  static constexpr EventDeclaration declared{
      "dependency_rerouted", "an operator rerouted a service's dependency", "service `provider.service`",
      "`from`, `to`: the dependency replaced and its replacement (the `reroute` action, docs/models/operators.md)"};
  int service = -1;
  int from = -1;
  int to = -1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext&) const { return std::nullopt; }
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
  static constexpr EventDeclaration declared{
      "record_changed", "what a DNS record's authoritative server answers changed, or whether it can be reached",
      "record `provider.record`",
      "`answer` (the service it resolves to, or null when empty), `reason` (`empty`, `wrong_target`, `restored`, "
      "`failover`, `failback`, `failover_disabled`, `failover_enabled`, `authority_unreachable`, "
      "`authority_reachable`); `client_region` only when the reachability changed for one client region's "
      "resolvers alone (a partition cut them off)"};
  int record = -1;
  int answer = -1;  ///< the service it resolves to now, or -1: empty
  RecordChangeReason reason = RecordChangeReason::empty;
  /// authority_unreachable / authority_reachable for one client region's
  /// resolvers only (a partition cut them off); -1: for every client.
  int client_region = -1;
  void write(EventFields& out, const EventContext& c) const;
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;  ///< "DNS failover: <record>"
};

enum class LoadBalancerChangeReason {
  target_unhealthy,   ///< a target failed `unhealthy_threshold` checks in a row
  target_healthy,     ///< a target passed `healthy_threshold` checks in a row
  zone_withdrawn,     ///< a region's healthy share fell below the minimum: all its targets are out
  zone_restored,      ///< a withdrawn region's healthy share is back at the minimum
  failed_open,        ///< no target would be left: every target gets traffic
  failed_closed,      ///< targets pass again: routing follows the checks again
  failover_disabled,  ///< by an operator: zone failover off, no zone withdrawn (the target checks still decide)
  failover_enabled,   ///< by an operator: zone failover on again
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
  static constexpr EventDeclaration declared{
      "load_balancer_changed", "a load balancer's view of a target or a zone changed", "service id `provider.service`",
      "`reason`, `target` or `zone`, `in_service` ([models/load-balancing.md](models/load-balancing.md#events)); "
      "cause `load_balancer:<service>` or `operator:<name>`"};
  int service = -1;   ///< the service behind the load balancer
  int instance = -1;  ///< target_unhealthy, target_healthy: the target
  int region = -1;    ///< zone_withdrawn, zone_restored: the zone
  int in_service = 0;  ///< targets getting traffic after the change
  LoadBalancerChangeReason reason = LoadBalancerChangeReason::target_unhealthy;
  void write(EventFields& out, const EventContext& c) const;
  /// "zone failover: <service> leaves <zone>" (a target's failover marks nothing: there are many)
  [[nodiscard]] std::optional<EventMarker> marker(const EventContext& c) const;
};

/// Every event type, in the order docs/outputs.md lists them.
using EventWhat = std::variant<FaultInjected, FaultEnded, OperatorActed, ConfigPublished, ConfigApplied, ConfigRejected,
                               RolloutWave, RolloutHalted, OperatorDetected, OperatorDiagnosed, OperatorHeld, InstanceChanged,
                               ServiceChanged, ClientsChanged, ServiceOverload, DependencyRerouted, RecordChanged, LoadBalancerChanged>;

/// What every event type must declare: adding one to EventWhat without
/// these is a compile error here, not a line missing from events.jsonl.
template <class E>
concept DeclaredEvent = requires(const E& e, EventFields& out, const EventContext& c) {
  { E::declared } -> std::convertible_to<EventDeclaration>;
  e.write(out, c);
  { e.marker(c) } -> std::same_as<std::optional<EventMarker>>;
};

template <class Variant>
struct EveryEventDeclared;
template <class... Es>
struct EveryEventDeclared<std::variant<Es...>> {
  static constexpr bool value = (DeclaredEvent<Es> && ...);
  static constexpr std::array<EventDeclaration, sizeof...(Es)> declarations{Es::declared...};
};
static_assert(EveryEventDeclared<EventWhat>::value, "every event type declares `declared`, `write` and `marker`");

/// Every event type's declaration, in EventWhat's order.
constexpr const auto& event_declarations() { return EveryEventDeclared<EventWhat>::declarations; }

struct Event {
  double t_s = 0;
  EventWhat what;
  /// root cause: "fault:<id>", "operator:<name>", "generator:<channel>", "health_check:<record>" or
  /// "load_balancer:<service>"
  std::string cause;

  /// The declaration of this event's type.
  [[nodiscard]] const EventDeclaration& declaration() const {
    return std::visit([](const auto& e) -> const EventDeclaration& { return std::decay_t<decltype(e)>::declared; },
                      what);
  }
};

}  // namespace outagesim::world
