// The fault kinds of the scenario language, one type each: its YAML name,
// its own fields, its declarations (describe), its checks (check) and what
// it is, as the rest of the pipeline needs to know it. FaultSpec holds one of
// them in a variant, so a key can only belong to the kind that declares it,
// the loader reads exactly that kind's keys, validate.cpp fails to compile
// without the kind's check, and the engine fails to link without its play().
//
// check(C& c, const Kind&, path) makes the checks the loader cannot make
// from one value alone (references to services, ranges that depend on each
// other); `c` is validate.cpp's Checker, whose public part lists what a check
// may use (error, service, channel, record, target, regions...).
//
// Each kind declares:
//   kind                  its name after `kind:` in YAML
//   summary               one line for the reference and the schema
//   ended_by_restart      whether an operator's restart of its instances ends it
//                         (a crashed or degraded process comes back; what comes
//                         from outside the process outlasts a restart)
//   presses_on_capacity   whether it takes capacity from a service or adds load
//                         to it: what throttling, shedding and scaling relieve
#pragma once

#include "units.hpp"

#include <array>
#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace outagesim::scenario {

/// What a consumer does when it loads a version (docs/models/config-distribution.md).
enum class OnLoad {
  serve,       ///< runs it: `error_rate` of its requests fail, `cost_factor` and `latency` apply
  crash,       ///< the process dies as it loads it
  crash_loop,  ///< serves it for `up`, then dies; again at each restart
  refuse,      ///< rejects it and keeps the version it runs
};

/// What a consumer that crashed on a version does next.
enum class AfterCrash {
  boot_loop,         ///< dies again at every boot: down until an operator remediates (or restarts) it
  fetch_on_restart,  ///< restarts after `down` and loads the newest version it was sent (the bad one: dies again)
};

/// A version of another channel the consumer must run for an effect to apply.
struct VersionCondition {
  std::string channel;  ///< "provider.channel", consumed by the same instances
  std::string running;  ///< bad (any version a fault made), good (none), or the id of the fault that made it
  bool operator==(const VersionCondition&) const = default;
};

/// How a variant (and optionally one traffic segment) reacts to a version.
struct VariantEffect {
  std::string variant;
  std::string segment;    ///< empty: all of the variant's traffic
  double error_rate = 0;  ///< share of those requests failing
  OnLoad on_load = OnLoad::serve;
  std::optional<double> cost_factor;  ///< serve: each request costs this many times the CPU (> 1)
  std::optional<double> latency_s;    ///< serve: latency added to its answers
  /// serve: share of its load balancer's health checks failing while its requests do not
  std::optional<double> health_check_error_rate;
  std::optional<double> up_s;         ///< crash_loop: time it serves between crashes
  std::optional<double> down_s;       ///< crash, crash_loop: time a restart takes (default 30s)
  std::optional<AfterCrash> after_crash;  ///< crash, crash_loop: default fetch_on_restart
  std::vector<VersionCondition> when;     ///< every one must hold for the effect to apply
  std::string service;  ///< a channel that feeds several services: whose variant, as provider.service
  bool operator==(const VariantEffect&) const = default;
  /// An error rate on the whole of a variant, whatever else runs: what versions carried before
  /// effects had kinds, and still the common case.
  [[nodiscard]] bool plain_error_rate() const { return on_load == OnLoad::serve && when.empty(); }
};

/// Which instances a fault hits, in the conventions of AWS FIS and Chaos
/// Mesh: all of the service's instances, `count` of them or `percent` of
/// them, optionally only in some regions or of some variants.
struct TargetSpec {
  std::string service;  ///< "provider.service"
  std::optional<int> count;
  std::optional<double> percent;
  std::vector<std::string> regions;
  std::vector<std::string> variants;
  bool operator==(const TargetSpec&) const = default;
};

template <class V>
void describe(V& v, TargetSpec& t) {
  v.required("service", t.service, "Service whose instances are hit, as provider.service");
  v.optional("count", t.count, "Hit this many instances (default: all)");
  v.optional("percent", t.percent, Unit::fraction, "Hit this share of the instances (default: all)");
  v.optional("regions", t.regions, "Only instances in these regions");
  v.optional("variants", t.variants, "Only instances of these variants");
}

enum class RecordChange { empty, wrong_target };

/// What to write instead, when a key of other kinds is written on a kind
/// that has another way of saying it (the loader adds it to "is not a key
/// of ..."). A kind may declare `key_hints`, an array of these.
struct KeyHint {
  std::string_view key;
  std::string_view hint;
};

namespace faults {

struct BadConfigPush {
  static constexpr std::string_view kind = "bad_config_push";
  static constexpr std::string_view summary = "A bad version published on a config channel, applied by its consumers "
                                              "as the rollout reaches them";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = false;
  std::string channel;               ///< "provider.channel"
  std::optional<double> size_bytes;  ///< overrides the channel's size for this version
  std::vector<VariantEffect> effects;
  bool operator==(const BadConfigPush&) const = default;
  /// A push reaches every consumer of its channel: which of them it hurts is
  /// said by variant, not by target.
  static constexpr std::array<KeyHint, 1> key_hints{
      {{"target", "a config push reaches every consumer of its channel; to hurt only some instances, give the "
                  "consumer service `variants` (name, share) and the fault `effects` (variant, error_rate, "
                  "optionally segment) (docs/models/availability.md)"}}};
};

template <class V>
void describe(V& v, BadConfigPush& f) {
  v.required("channel", f.channel, "Channel, as provider.channel");
  v.optional("size", f.size_bytes, Unit::size, "Size of the bad version (default: the channel's)");
  v.optional("effects", f.effects,
             "How each variant reacts to the bad version (none: harmless by itself, yet a cause)");
}

template <class C>
void check(C& c, const BadConfigPush& f, const std::string& path) {
  if (f.size_bytes && *f.size_bytes <= 0) c.error(path + ".size", "expected a positive size");
  if (c.channel(f.channel, path + ".channel")) c.channel_effects(f.channel, f.effects, path + ".effects");
}

struct DnsRecordChange {
  static constexpr std::string_view kind = "dns_record_change";
  static constexpr std::string_view summary = "A DNS record emptied or pointed at the wrong service";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = false;
  std::string record;  ///< "provider.record"
  RecordChange change = RecordChange::empty;
  std::string new_target;  ///< wrong_target: "provider.service"
  bool operator==(const DnsRecordChange&) const = default;
};

template <class V>
void describe(V& v, DnsRecordChange& f) {
  v.required("record", f.record, "Record, as provider.record");
  v.required("change", f.change, "empty or wrong_target");
  v.optional("new_target", f.new_target, "wrong_target: where it points, as provider.service");
}

template <class C>
void check(C& c, const DnsRecordChange& f, const std::string& path) {
  c.record(f.record, path + ".record");
  if (f.change == RecordChange::wrong_target) {
    if (f.new_target.empty()) c.error(path, "a dns_record_change with change: wrong_target needs 'new_target'");
    else c.service(f.new_target, path + ".new_target");
  } else if (!f.new_target.empty()) {
    c.error(path + ".new_target", "'new_target' applies only to change: wrong_target");
  }
}

struct CapacityLoss {
  static constexpr std::string_view kind = "capacity_loss";
  static constexpr std::string_view summary = "Instances left with a share of their capacity (CPU exhaustion, a "
                                              "wedged worker pool)";
  static constexpr bool ended_by_restart = true;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  double capacity_factor = 1;  ///< capacity left, [0, 1]
  bool operator==(const CapacityLoss&) const = default;
};

template <class V>
void describe(V& v, CapacityLoss& f) {
  v.required("target", f.target, "Which instances");
  v.required("capacity_factor", f.capacity_factor, Unit::fraction, "Share of capacity left");
}

template <class C>
void check(C& c, const CapacityLoss& f, const std::string& path) {
  // A total loss (capacity_factor 0), like a crash, does take an authority out.
  if (c.target(f.target, path + ".target") && f.capacity_factor > 0)
    c.not_a_dns_authority(f.target, path, CapacityLoss::kind);
}

struct RequestCost {
  static constexpr std::string_view kind = "request_cost";
  static constexpr std::string_view summary = "A costlier request mix: a share of the requests cost k times the "
                                              "CPU (a query pattern, a bot), so the instances serve fewer per second";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  double cost_factor = 1;  ///< k: what an affected request costs, as a multiple of the usual, >= 1
  double share = 1;        ///< share of the requests affected, [0, 1]
  bool operator==(const RequestCost&) const = default;
};

template <class V>
void describe(V& v, RequestCost& f) {
  v.required("target", f.target, "Which instances receive the costlier requests");
  v.required("cost_factor", f.cost_factor, Unit::factor,
             "What an affected request costs, as a multiple of the usual (at least 1)");
  v.optional("share", f.share, Unit::fraction,
             "Share of the requests affected (default 100%); the mean cost is (1 - share) + share x cost_factor");
}

template <class C>
void check(C& c, const RequestCost& f, const std::string& path) {
  if (f.cost_factor < 1)
    c.error(path + ".cost_factor",
            "expected a cost factor of at least 1 (a request that costs k times the usual); a cheaper mix is a "
            "lower `cpu.cost` or `capacity` of the service");
  // As for a partial capacity_loss: authorities carry no query load.
  if (c.target(f.target, path + ".target")) c.not_a_dns_authority(f.target, path, RequestCost::kind);
}

struct LoadSurge {
  static constexpr std::string_view kind = "load_surge";
  static constexpr std::string_view summary = "More (or less) load offered to a service (DDoS, retry storm, users away)";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  double load_factor = 1;  ///< offered load multiplier, >= 0 (below 1: demand falls)
  std::vector<std::string> regions;  ///< client regions whose load grows; none: every client
  bool operator==(const LoadSurge&) const = default;
};

template <class V>
void describe(V& v, LoadSurge& f) {
  v.required("target", f.target, "Which service: its offered load grows");
  v.required("load_factor", f.load_factor, Unit::factor,
             "Multiplier of the offered load; below 1 the demand falls (users away, traffic moved elsewhere), and "
             "the requests not sent are neither served nor failed");
  v.optional("regions", f.regions,
             "Only the load of the users in these client regions (traffic.client_regions) grows (default: everyone's)");
}

template <class C>
void check(C& c, const LoadSurge& f, const std::string& path) {
  if (c.target(f.target, path + ".target")) c.not_a_dns_authority(f.target, path, LoadSurge::kind);
  if (f.load_factor < 0) c.error(path + ".load_factor", "expected a non-negative multiplier");
  c.client_regions(f.regions, path + ".regions");
}

struct Crash {
  static constexpr std::string_view kind = "crash";
  static constexpr std::string_view summary = "Instances down, back after `down`, when the fault ends, or when an "
                                              "operator restarts them";
  static constexpr bool ended_by_restart = true;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  std::optional<double> down_s;  ///< none: down until the fault ends or an operator restarts them
  bool operator==(const Crash&) const = default;
};

template <class V>
void describe(V& v, Crash& f) {
  v.required("target", f.target, "Which instances");
  v.optional("down", f.down_s, Unit::period, "Time down (default: until the fault ends or an operator restarts them)");
}

template <class C>
void check(C& c, const Crash& f, const std::string& path) {
  c.target(f.target, path + ".target");
}

struct CrashLoop {
  static constexpr std::string_view kind = "crash_loop";
  static constexpr std::string_view summary = "Instances down for `down`, up for `up`, again and again, all in phase";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  double up_s = 0;    ///< time up between crashes
  double down_s = 0;  ///< time down per crash
  bool operator==(const CrashLoop&) const = default;
};

template <class V>
void describe(V& v, CrashLoop& f) {
  v.required("target", f.target, "Which instances");
  v.required("up", f.up_s, Unit::period, "Time up between crashes");
  v.required("down", f.down_s, Unit::period, "Time down each time");
}

template <class C>
void check(C& c, const CrashLoop& f, const std::string& path) {
  c.target(f.target, path + ".target");
  if (f.up_s <= 0) c.error(path + ".up", "expected a positive duration");
  c.repeats(f.up_s + f.down_s, path, "crash loop cycles");
}

struct Restart {
  static constexpr std::string_view kind = "restart";
  static constexpr std::string_view summary = "Each instance restarted once, at a time spread over `jitter` (none: a "
                                              "herd)";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  TargetSpec target;
  std::optional<double> down_s;  ///< time down per restart; none: the engine's default restart time
  double jitter_s = 0;           ///< spread of restart times
  bool operator==(const Restart&) const = default;
};

template <class V>
void describe(V& v, Restart& f) {
  v.required("target", f.target, "Which instances");
  v.optional("down", f.down_s, Unit::period, "Time down each time (default 30s)");
  v.optional("jitter", f.jitter_s, Unit::duration, "Restarts spread uniformly over this window (default 0: a herd)");
}

template <class C>
void check(C& c, const Restart& f, const std::string& path) {
  c.target(f.target, path + ".target");
}

struct Partition {
  static constexpr std::string_view kind = "partition";
  static constexpr std::string_view summary = "Regions cut off from the rest: their instances down for clients, "
                                              "config transfers across fail";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  std::vector<std::string> regions;
  bool operator==(const Partition&) const = default;
};

template <class V>
void describe(V& v, Partition& f) {
  v.required("regions", f.regions, "Regions cut off from the rest");
}

template <class C>
void check(C& c, const Partition& f, const std::string& path) {
  if (f.regions.empty()) c.error(path + ".regions", "expected at least one region");
  c.regions(f.regions, path + ".regions");
}

struct RouteWithdrawal {
  static constexpr std::string_view kind = "route_withdrawal";
  static constexpr std::string_view summary = "A provider's routes withdrawn: its instances in `regions` down for "
                                              "clients";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;
  std::string provider;              ///< whose prefixes
  std::vector<std::string> regions;  ///< empty: everywhere
  bool operator==(const RouteWithdrawal&) const = default;
};

template <class V>
void describe(V& v, RouteWithdrawal& f) {
  v.required("provider", f.provider, "Provider whose routes are withdrawn");
  v.optional("regions", f.regions, "Where (default: every region)");
}

template <class C>
void check(C& c, const RouteWithdrawal& f, const std::string& path) {
  c.provider(f.provider, path + ".provider");
  c.regions(f.regions, path + ".regions");
}

struct LatencyInjection {
  static constexpr std::string_view kind = "latency_injection";
  static constexpr std::string_view summary = "Latency added to instances";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = false;
  TargetSpec target;
  double latency_s = 0;  ///< added latency
  bool operator==(const LatencyInjection&) const = default;
};

template <class V>
void describe(V& v, LatencyInjection& f) {
  v.required("target", f.target, "Which instances");
  v.required("latency", f.latency_s, Unit::duration, "Latency added");
}

template <class C>
void check(C& c, const LatencyInjection& f, const std::string& path) {
  c.target(f.target, path + ".target");
}

struct DnsUnreachable {
  static constexpr std::string_view kind = "dns_unreachable";
  static constexpr std::string_view summary = "A DNS provider's authoritative servers unreachable from the resolvers "
                                              "of some client regions, nothing else cut";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = false;
  std::string provider;              ///< whose authoritative servers: a provider that answers records
  std::vector<std::string> regions;  ///< client regions (traffic.client_regions) whose resolvers lose them
  bool operator==(const DnsUnreachable&) const = default;
};

template <class V>
void describe(V& v, DnsUnreachable& f) {
  v.required("provider", f.provider, "DNS provider (one that answers records) whose authoritative servers are lost");
  v.required("regions", f.regions, "Client regions (traffic.client_regions) whose resolvers cannot reach them");
}

template <class C>
void check(C& c, const DnsUnreachable& f, const std::string& path) {
  if (c.provider(f.provider, path + ".provider")) c.answers_records(f.provider, path + ".provider", DnsUnreachable::kind);
  if (f.regions.empty()) c.error(path + ".regions", "expected at least one client region");
  c.client_regions(f.regions, path + ".regions", "the resolvers cut off are the users'");
}

struct CacheFlush {
  static constexpr std::string_view kind = "cache_flush";
  static constexpr std::string_view summary = "A look-aside cache's content emptied without taking it down (a flush, "
                                              "a bad config); with a duration, kept from refilling until it ends";
  static constexpr bool ended_by_restart = false;
  static constexpr bool presses_on_capacity = true;  ///< on the stores behind the cache, by the misses
  TargetSpec target;  ///< the cache's instances whose content is lost (all by default)
  bool operator==(const CacheFlush&) const = default;
};

template <class V>
void describe(V& v, CacheFlush& f) {
  v.required("target", f.target,
             "Which instances of a cache (a service with `cache:`) lose their content: their share of its capacity");
}

template <class C>
void check(C& c, const CacheFlush& f, const std::string& path) {
  if (c.target(f.target, path + ".target")) c.a_cache(f.target.service, path + ".target.service", CacheFlush::kind);
}

/// What every fault kind declares (see the top of this file).
template <class T>
concept Kind = std::default_initializable<T> && std::equality_comparable<T> && requires {
  { T::kind } -> std::convertible_to<std::string_view>;
  { T::summary } -> std::convertible_to<std::string_view>;
  { T::ended_by_restart } -> std::convertible_to<bool>;
  { T::presses_on_capacity } -> std::convertible_to<bool>;
};

}  // namespace faults

/// One fault kind and its own fields; the YAML `kind:` picks the alternative.
template <faults::Kind... Kinds>
using FaultKindOf = std::variant<Kinds...>;
using FaultKind = FaultKindOf<faults::BadConfigPush, faults::DnsRecordChange, faults::CapacityLoss, faults::LoadSurge,
                              faults::Crash, faults::CrashLoop, faults::Restart, faults::Partition,
                              faults::RouteWithdrawal, faults::LatencyInjection, faults::DnsUnreachable,
                              faults::RequestCost, faults::CacheFlush>;

/// The YAML name of the kind a variant holds: `kind:` of a fault, `do:` of an action.
template <class... Kinds>
constexpr std::string_view kind_name(const std::variant<Kinds...>& kind) {
  return std::visit([](const auto& k) { return std::string_view(std::decay_t<decltype(k)>::kind); }, kind);
}

}  // namespace outagesim::scenario
