// The operator action kinds of the scenario language, one type each, as
// fault_kinds.hpp does for faults: its YAML name (after `do:`), a summary, its own
// fields, its declarations, its checks, and which way it relieves a fault
// (`relief`), which is what metrics judge a mitigation by. ActionSpec holds
// one in a variant; validate.cpp (check) and the engine (take()) dispatch
// over it and fail to compile or link without a new kind.
#pragma once

#include "fault_kinds.hpp"

namespace outagesim::scenario {

enum class Jitter;  ///< scenario.hpp: how clients spread their retries

/// How an action can relieve a fault (metrics/mitigation.cpp).
enum class Relief {
  replaces_bad_version,      ///< faults whose bad version travels on the action's channel
  ends_restarted_faults,     ///< faults an operator's restart ends on the instances it restarts
  admits_less,               ///< load on the service, when it admits less than before
  sheds_load,                ///< load on the service, always (the waiting work is dropped too)
  adds_capacity,             ///< load on the service, when its capacity grows
  offers_less,               ///< load on the service, when its clients send less (demand, the edge, retries)
  bypasses_dependency,       ///< faults on the dependency it reroutes away from
  returns_withdrawn_zones,  ///< faults that made a load balancer withdraw a zone (its targets failing their checks)
  ends_named_fault,          ///< the one fault it names
  none,
};

namespace actions {

/// Every channel action names the channel it acts on.
template <class V>
void describe_channel(V& v, std::string& channel) {
  v.required("channel", channel, "The channel, as provider.channel");
}

struct Revert {
  static constexpr std::string_view kind = "revert";
  static constexpr std::string_view summary = "Publishes the last good version again, through the channel's rollout "
                                              "(or the action's own `rollout`)";
  static constexpr Relief relief = Relief::replaces_bad_version;
  std::string channel;  ///< "provider.channel"
  bool operator==(const Revert&) const = default;
};
template <class V>
void describe(V& v, Revert& a) { describe_channel(v, a.channel); }
template <class C>
void check(C& c, const Revert& a, const std::string& path) { c.channel(a.channel, path + ".channel"); }

struct Rollback {
  static constexpr std::string_view kind = "rollback";
  static constexpr std::string_view summary = "The same as revert";
  static constexpr Relief relief = Relief::replaces_bad_version;
  std::string channel;
  bool operator==(const Rollback&) const = default;
};
template <class V>
void describe(V& v, Rollback& a) { describe_channel(v, a.channel); }
template <class C>
void check(C& c, const Rollback& a, const std::string& path) { c.channel(a.channel, path + ".channel"); }

struct StopChannel {
  static constexpr std::string_view kind = "stop_channel";
  static constexpr std::string_view summary = "Stops the channel's rollout: consumers not reached yet keep their "
                                              "version";
  static constexpr Relief relief = Relief::replaces_bad_version;
  std::string channel;
  bool operator==(const StopChannel&) const = default;
};
template <class V>
void describe(V& v, StopChannel& a) { describe_channel(v, a.channel); }
template <class C>
void check(C& c, const StopChannel& a, const std::string& path) { c.channel(a.channel, path + ".channel"); }

struct PushLastKnownGood {
  static constexpr std::string_view kind = "push_last_known_good";
  static constexpr std::string_view summary = "Stops the rollout and publishes the last good version";
  static constexpr Relief relief = Relief::replaces_bad_version;
  std::string channel;
  bool operator==(const PushLastKnownGood&) const = default;
};
template <class V>
void describe(V& v, PushLastKnownGood& a) { describe_channel(v, a.channel); }
template <class C>
void check(C& c, const PushLastKnownGood& a, const std::string& path) { c.channel(a.channel, path + ".channel"); }

struct KillSwitch {
  static constexpr std::string_view kind = "kill_switch";
  static constexpr std::string_view summary = "Stops the rollout and sends the last good version to every consumer "
                                              "at once (or by the action's own `rollout`)";
  static constexpr Relief relief = Relief::replaces_bad_version;
  std::string channel;
  bool operator==(const KillSwitch&) const = default;
};
template <class V>
void describe(V& v, KillSwitch& a) { describe_channel(v, a.channel); }
template <class C>
void check(C& c, const KillSwitch& a, const std::string& path) { c.channel(a.channel, path + ".channel"); }

struct Throttle {
  static constexpr std::string_view kind = "throttle";
  static constexpr std::string_view summary = "Admits only a share of a service's offered load";
  static constexpr Relief relief = Relief::admits_less;
  std::string service;  ///< "provider.service"
  double admit = 1;     ///< share of offered load admitted
  bool operator==(const Throttle&) const = default;
};
template <class V>
void describe(V& v, Throttle& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.required("admit", a.admit, Unit::fraction, "Share of the offered load admitted");
}
template <class C>
void check(C& c, const Throttle& a, const std::string& path) { c.service(a.service, path + ".service"); }

struct ShedLoad {
  static constexpr std::string_view kind = "shed_load";
  static constexpr std::string_view summary = "Admits only a share of a service's offered load and drops the work "
                                              "waiting";
  static constexpr Relief relief = Relief::sheds_load;
  std::string service;
  double admit = 1;
  bool operator==(const ShedLoad&) const = default;
};
template <class V>
void describe(V& v, ShedLoad& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.required("admit", a.admit, Unit::fraction, "Share of the offered load admitted; the work waiting is dropped");
}
template <class C>
void check(C& c, const ShedLoad& a, const std::string& path) { c.service(a.service, path + ".service"); }

struct Restart {
  static constexpr std::string_view kind = "restart";
  static constexpr std::string_view summary = "Restarts instances (each down 30s), spread over `jitter`";
  static constexpr Relief relief = Relief::ends_restarted_faults;
  TargetSpec target;
  double jitter_s = 0;  ///< spread of the restart times
  bool operator==(const Restart&) const = default;
};
template <class V>
void describe(V& v, Restart& a) {
  v.required("target", a.target, "Which instances");
  v.optional("jitter", a.jitter_s, Unit::duration, "Restarts spread uniformly over this window (default 0)");
}
template <class C>
void check(C& c, const Restart& a, const std::string& path) { c.target(a.target, path + ".target"); }

/// The pace is `staff` people each taking `per_instance`, joining over
/// `ramp_up`, or a plain `per_hour` (one person, 1h / per_hour each).
struct Remediate {
  static constexpr std::string_view kind = "remediate";
  static constexpr std::string_view summary = "Brings back, at a declared pace, the target's instances that faults "
                                              "hold and a restart ends (a boot loop): `staff` people each taking "
                                              "`per_instance`, or `per_hour` instances an hour";
  static constexpr Relief relief = Relief::ends_restarted_faults;
  TargetSpec target;
  std::optional<int> staff;               ///< people working in parallel (default 1)
  std::optional<double> per_instance_s;   ///< time one person takes per instance
  std::optional<double> per_hour;         ///< or: instances brought back an hour
  std::optional<double> ramp_up_s;        ///< the staff join one after the other over this time
  std::optional<double> warmup_s;         ///< time a brought-back instance takes before it serves
  bool operator==(const Remediate&) const = default;

  [[nodiscard]] int people() const { return staff.value_or(1); }
  [[nodiscard]] double seconds_per_instance() const {
    return per_instance_s ? *per_instance_s : 3600.0 / per_hour.value_or(1);
  }
};
template <class V>
void describe(V& v, Remediate& a) {
  v.required("target", a.target, "Which instances; those a fault holds (and a restart ends) are worked through in order");
  v.optional("staff", a.staff, "People working in parallel, one instance each at a time (default 1)");
  v.optional("per_instance", a.per_instance_s, Unit::duration,
             "Time one person takes to bring one instance back (this or `per_hour`)");
  v.optional("per_hour", a.per_hour, Unit::amount,
             "Instead of `staff` and `per_instance`: instances brought back an hour, one every hour / per_hour");
  v.optional("ramp_up", a.ramp_up_s, Unit::duration,
             "The staff join one after the other over this time (default 0: all at once)");
  v.optional("warmup", a.warmup_s, Unit::duration,
             "Time a brought-back instance takes before it serves (default 30s, as a restart)");
}
template <class C>
void check(C& c, const Remediate& a, const std::string& path) {
  c.target(a.target, path + ".target");
  if (a.staff && *a.staff < 1) c.error(path + ".staff", "expected at least 1 person");
  if (a.per_instance_s && *a.per_instance_s <= 0) c.error(path + ".per_instance", "expected a positive duration");
  if (a.per_hour && *a.per_hour <= 0) c.error(path + ".per_hour", "expected a positive number of instances an hour");
  if (a.per_hour && a.per_instance_s)
    c.error(path + ".per_hour", "give the pace once: `per_hour`, or `staff` and `per_instance`, not both");
  else if (a.per_hour && (a.staff || a.ramp_up_s))
    c.error(path + (a.staff ? ".staff" : ".ramp_up"),
            "`per_hour` is the whole team's pace; `staff` and `ramp_up` go with `per_instance`");
  else if (!a.per_hour && !a.per_instance_s)
    c.error(path, "a remediation needs a pace: `per_instance` (with `staff`, default 1) or `per_hour`");
}

/// The failover switches name a DNS record or a service with a load
/// balancer, exactly one of them.
template <class V>
void describe_failover(V& v, std::string& record, std::string& service) {
  v.optional("record", record, "A DNS record, as provider.record");
  v.optional("service", service, "Or a service with a load balancer, as provider.service");
}

struct DisableFailover {
  static constexpr std::string_view kind = "disable_failover";
  static constexpr std::string_view summary = "Turns health-checked failover off: a DNS record's checks count as "
                                              "healthy; a load balancer withdraws no zone (its target checks still "
                                              "apply)";
  static constexpr Relief relief = Relief::returns_withdrawn_zones;
  std::string record;   ///< "provider.record"
  std::string service;  ///< or a service with a load balancer
  bool operator==(const DisableFailover&) const = default;
};
template <class V>
void describe(V& v, DisableFailover& a) { describe_failover(v, a.record, a.service); }
template <class C>
void check(C& c, const DisableFailover& a, const std::string& path) {
  c.failover_switch(a.record, a.service, path, DisableFailover::kind);
}

struct EnableFailover {
  static constexpr std::string_view kind = "enable_failover";
  static constexpr std::string_view summary = "Turns a DNS record's or a load balancer's health-checked failover "
                                              "back on";
  static constexpr Relief relief = Relief::none;
  std::string record;
  std::string service;
  bool operator==(const EnableFailover&) const = default;
};
template <class V>
void describe(V& v, EnableFailover& a) { describe_failover(v, a.record, a.service); }
template <class C>
void check(C& c, const EnableFailover& a, const std::string& path) {
  c.failover_switch(a.record, a.service, path, EnableFailover::kind);
}

struct Scale {
  static constexpr std::string_view kind = "scale";
  static constexpr std::string_view summary = "Multiplies the capacity of a service's instances";
  static constexpr Relief relief = Relief::adds_capacity;
  std::string service;
  double factor = 1;  ///< capacity multiplier
  bool operator==(const Scale&) const = default;
};
template <class V>
void describe(V& v, Scale& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.required("factor", a.factor, Unit::factor, "Multiplies the capacity of the service's instances");
}
template <class C>
void check(C& c, const Scale& a, const std::string& path) {
  c.service(a.service, path + ".service");
  if (a.factor <= 0) c.error(path + ".factor", "expected a positive multiplier");
}

struct Reroute {
  static constexpr std::string_view kind = "reroute";
  static constexpr std::string_view summary = "Makes a service use another service wherever it depended on `from`, "
                                              "to the end of the run";
  static constexpr Relief relief = Relief::bypasses_dependency;
  std::string service;  ///< whose dependency changes
  std::string from;     ///< the dependency replaced
  std::string to;       ///< what replaces it
  bool operator==(const Reroute&) const = default;
};
template <class V>
void describe(V& v, Reroute& a) {
  v.required("service", a.service, "The service whose dependency changes, as provider.service");
  v.required("from", a.from, "The dependency of `service` replaced, as provider.service");
  v.required("to", a.to, "The service used instead of `from` from then on, as provider.service");
}
/// A reroute replaces one dependency of a service by another service.
template <class C>
void check(C& c, const Reroute& a, const std::string& path) {
  const bool service_ok = c.service(a.service, path + ".service");
  const bool from_ok = c.service(a.from, path + ".from");
  c.service(a.to, path + ".to");
  if (a.from == a.to) c.error(path + ".to", "'to' must differ from 'from'");
  if (a.to == a.service) c.error(path + ".to", "a service cannot depend on itself");
  if (service_ok && from_ok && !c.depends_directly(a.service, a.from))
    c.error(path + ".from", a.service + " does not depend on " + a.from + "; a reroute replaces one of its dependencies");
}

struct EndFault {
  static constexpr std::string_view kind = "end_fault";
  static constexpr std::string_view summary = "Ends a fault under way at once, as if its duration ran out (an attack "
                                              "filtered, a data change rolled back)";
  static constexpr Relief relief = Relief::ends_named_fault;
  std::string fault;  ///< the fault's id
  bool operator==(const EndFault&) const = default;
};
template <class V>
void describe(V& v, EndFault& a) {
  v.required("fault", a.fault, "The id of the fault it ends");
}
/// A bad push has no duration to cut short: a good version replaces it,
/// through the channel actions.
template <class C>
void check(C& c, const EndFault& a, const std::string& path) {
  const FaultKind* ended = c.fault(a.fault, path + ".fault");
  if (ended && std::holds_alternative<faults::BadConfigPush>(*ended))
    c.error(path + ".fault", "a bad_config_push ends when a good version replaces it: use revert, rollback, "
                             "push_last_known_good or kill_switch on its channel");
}

struct ChangeDemand {
  static constexpr std::string_view kind = "change_demand";
  static constexpr std::string_view summary = "Sets a multiplier of the load a service's clients send, from then on "
                                              "(a feature's calls switched off, bots blocked, traffic steered away or in)";
  static constexpr Relief relief = Relief::offers_less;
  std::string service;
  double factor = 1;  ///< multiplier of the declared load
  bool operator==(const ChangeDemand&) const = default;
};
template <class V>
void describe(V& v, ChangeDemand& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.required("factor", a.factor, Unit::factor,
             "Multiplier of the load its clients send, replacing an earlier change_demand's (1: as declared); the "
             "requests not sent are neither served nor failed");
}
template <class C>
void check(C& c, const ChangeDemand& a, const std::string& path) {
  c.service(a.service, path + ".service");
  if (a.factor < 0) c.error(path + ".factor", "expected a non-negative multiplier");
}

struct ShedAtEdge {
  static constexpr std::string_view kind = "shed_at_edge";
  static constexpr std::string_view summary = "Turns away a share of a service's first attempts at the edge, which "
                                              "fail at once and are not retried";
  static constexpr Relief relief = Relief::offers_less;
  std::string service;
  double share = 0;  ///< of first attempts turned away
  bool operator==(const ShedAtEdge&) const = default;
};
template <class V>
void describe(V& v, ShedAtEdge& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.required("share", a.share, Unit::fraction,
             "Share of first attempts turned away from then on (0 ends the shedding); they fail, cost the service "
             "nothing and are not retried; retries of attempts let through pass");
}
template <class C>
void check(C& c, const ShedAtEdge& a, const std::string& path) { c.service(a.service, path + ".service"); }

struct SetRetryPolicy {
  static constexpr std::string_view kind = "set_retry_policy";
  static constexpr std::string_view summary = "Changes the retry policy of a service's clients from then on (a "
                                              "client update, a server asking clients to back off)";
  static constexpr Relief relief = Relief::offers_less;
  std::string service;
  std::optional<int> max_retries;
  std::optional<double> backoff_base_s;
  std::optional<double> backoff_max_s;
  std::optional<Jitter> jitter;
  std::optional<double> budget;
  bool operator==(const SetRetryPolicy&) const = default;
};
template <class V>
void describe(V& v, SetRetryPolicy& a) {
  v.required("service", a.service, "The service, as provider.service");
  v.optional("max_retries", a.max_retries, "Retries after the first attempt (default: unchanged)");
  v.optional("backoff_base", a.backoff_base_s, Unit::duration, "First backoff; doubles each retry (default: unchanged)");
  v.optional("backoff_max", a.backoff_max_s, Unit::timeout, "Longest backoff (default: unchanged)");
  v.optional("jitter", a.jitter, "none, full or equal (default: unchanged)");
  v.optional("budget", a.budget, Unit::fraction, "Retries allowed as a share of first attempts (default: unchanged)");
}
template <class C>
void check(C& c, const SetRetryPolicy& a, const std::string& path) {
  if (!c.service(a.service, path + ".service")) return;
  if (!a.max_retries && !a.backoff_base_s && !a.backoff_max_s && !a.jitter && !a.budget)
    c.error(path, "expected at least one of max_retries, backoff_base, backoff_max, jitter or budget to change");
  c.changed_retry(a.service, a.max_retries, a.backoff_base_s, a.backoff_max_s, a.budget, path);
}

/// What every action kind declares.
template <class T>
concept Kind = std::default_initializable<T> && std::equality_comparable<T> && requires {
  { T::kind } -> std::convertible_to<std::string_view>;
  { T::summary } -> std::convertible_to<std::string_view>;
  { T::relief } -> std::convertible_to<Relief>;
};

}  // namespace actions

/// The channel actions that publish a version: the ones an action's own
/// `rollout` can stage.
template <class... Kinds>
bool publishes_a_version(const std::variant<Kinds...>& kind) {
  return std::holds_alternative<actions::Revert>(kind) || std::holds_alternative<actions::Rollback>(kind) ||
         std::holds_alternative<actions::PushLastKnownGood>(kind) || std::holds_alternative<actions::KillSwitch>(kind);
}

/// One action kind and its own fields; the YAML `do:` picks the alternative.
template <actions::Kind... Kinds>
using ActionKindOf = std::variant<Kinds...>;
using ActionKind = ActionKindOf<actions::Revert, actions::Rollback, actions::StopChannel, actions::PushLastKnownGood,
                                actions::KillSwitch, actions::Throttle, actions::ShedLoad, actions::Restart,
                                actions::DisableFailover, actions::EnableFailover, actions::Scale, actions::Reroute,
                                actions::EndFault, actions::Remediate, actions::ChangeDemand, actions::ShedAtEdge,
                                actions::SetRetryPolicy>;

}  // namespace outagesim::scenario
