// The field declarations of the scenario language, written once. Visitors
// walk them: the loader reads YAML through them, the reference generator
// writes docs/scenario-reference.md from them, and the schema generator
// writes the JSON Schema, so the language, its checks and its documentation
// cannot drift apart.
//
// A visitor V provides:
//   required/optional(key, T& value, doc)
//       T: std::string, int, std::uint64_t, bool, an enum with EnumNames, a
//       struct with describe(), std::vector<T>, std::vector<std::string>,
//       std::vector<InstanceCount> (a mapping region -> count), and
//       std::optional<T> of these (optional only)
//   required/optional(key, double& value, Unit, doc)      quantities with units
//   optional(key, std::optional<double>& value, Unit, doc)
//   optional(key, std::optional<Distribution>&, Unit, doc) a value or {dist: ...}
//   required_time(key, TimeSpec&, doc)                      a time or {dist: ...}
//   optional_time(key, std::optional<TimeSpec>&, doc)
//   timestamp(key, double& epoch_s, doc)                    the run's start, ISO-8601 UTC
//   object(key, doc, fn)                                    a nested mapping described inline by fn(V&)
//   preprocessed(key, doc)                                  a key consumed before reading (params)
//   variant(key, std::variant<Kinds...>&, noun, doc)        a discriminated union: `key` names the
//       kind (each alternative's static `kind`), whose own keys sit beside it in the same mapping
//       (fault_kinds.hpp); `noun` ("fault") names the whole in messages
// A struct with `static constexpr const char* shorthand = "kind"` may also be
// written as a bare scalar: `rollout: global` means `rollout: {kind: global}`.
#pragma once

#include "scenario.hpp"
#include "units.hpp"

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace outagesim::scenario {

/// Name tables for enums: the YAML spelling of each value.
template <class E>
struct EnumNames;

#define OUTAGESIM_ENUM_NAME(E, v) std::pair { E::v, std::string_view{#v} }

template <>
struct EnumNames<DistributionKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(DistributionKind, fixed),
                                     OUTAGESIM_ENUM_NAME(DistributionKind, uniform),
                                     OUTAGESIM_ENUM_NAME(DistributionKind, exp),
                                     OUTAGESIM_ENUM_NAME(DistributionKind, lognormal)};
};
template <>
struct EnumNames<TopologyKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(TopologyKind, broadcast),
                                     OUTAGESIM_ENUM_NAME(TopologyKind, tree), OUTAGESIM_ENUM_NAME(TopologyKind, pull)};
};
template <>
struct EnumNames<RolloutKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(RolloutKind, global), OUTAGESIM_ENUM_NAME(RolloutKind, staged)};
};
template <>
struct EnumNames<GateAction> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(GateAction, halt), OUTAGESIM_ENUM_NAME(GateAction, rollback)};
};
template <>
struct EnumNames<SourceKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(SourceKind, manual),
                                     OUTAGESIM_ENUM_NAME(SourceKind, generator)};
};
template <>
struct EnumNames<ProviderKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(ProviderKind, cdn), OUTAGESIM_ENUM_NAME(ProviderKind, cloud),
                                     OUTAGESIM_ENUM_NAME(ProviderKind, dns), OUTAGESIM_ENUM_NAME(ProviderKind, saas)};
};
template <>
struct EnumNames<DependencyKind> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(DependencyKind, hard), OUTAGESIM_ENUM_NAME(DependencyKind, soft),
                                     OUTAGESIM_ENUM_NAME(DependencyKind, any_of),
                                     OUTAGESIM_ENUM_NAME(DependencyKind, k_of_n),
                                     OUTAGESIM_ENUM_NAME(DependencyKind, cached),
                                     OUTAGESIM_ENUM_NAME(DependencyKind, look_aside)};
};
template <>
struct EnumNames<ClientSeries> {
  static constexpr std::array values{std::pair{ClientSeries::auto_, std::string_view{"auto"}},
                                     OUTAGESIM_ENUM_NAME(ClientSeries, all), OUTAGESIM_ENUM_NAME(ClientSeries, aggregated)};
};

template <>
struct EnumNames<Compression> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(Compression, none), OUTAGESIM_ENUM_NAME(Compression, gzip)};
};

template <>
struct EnumNames<Jitter> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(Jitter, none), OUTAGESIM_ENUM_NAME(Jitter, full),
                                     OUTAGESIM_ENUM_NAME(Jitter, equal)};
};
template <>
struct EnumNames<RecordChange> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(RecordChange, empty),
                                     OUTAGESIM_ENUM_NAME(RecordChange, wrong_target)};
};
template <>
struct EnumNames<OnLoad> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(OnLoad, serve), OUTAGESIM_ENUM_NAME(OnLoad, crash),
                                     OUTAGESIM_ENUM_NAME(OnLoad, crash_loop), OUTAGESIM_ENUM_NAME(OnLoad, refuse)};
};
template <>
struct EnumNames<AfterCrash> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(AfterCrash, boot_loop),
                                     OUTAGESIM_ENUM_NAME(AfterCrash, fetch_on_restart)};
};
template <>
struct EnumNames<DetectionMetric> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(DetectionMetric, error_rate),
                                     OUTAGESIM_ENUM_NAME(DetectionMetric, availability)};
};
template <>
struct EnumNames<OperatorStage> {
  static constexpr std::array values{OUTAGESIM_ENUM_NAME(OperatorStage, detection),
                                     OUTAGESIM_ENUM_NAME(OperatorStage, diagnosis),
                                     OUTAGESIM_ENUM_NAME(OperatorStage, actions)};
};
#undef OUTAGESIM_ENUM_NAME

/// The keys a struct declares, in order: what a kind of a variant may hold.
class KeyList {
 public:
  template <class... Rest>
  void required(std::string_view key, Rest&&...) { keys.emplace_back(key); }
  template <class... Rest>
  void optional(std::string_view key, Rest&&...) { keys.emplace_back(key); }
  template <class... Rest>
  void required_time(std::string_view key, Rest&&...) { keys.emplace_back(key); }
  template <class... Rest>
  void optional_time(std::string_view key, Rest&&...) { keys.emplace_back(key); }
  template <class... Rest>
  void variant(std::string_view key, Rest&&...) { keys.emplace_back(key); }

  std::vector<std::string> keys;
};

template <class T>
std::vector<std::string> declared_keys() {
  T value{};
  KeyList list;
  describe(list, value);
  return list.keys;
}

template <class E>
constexpr std::string_view enum_name(E value) {
  for (const auto& [v, name] : EnumNames<E>::values)
    if (v == value) return name;
  return "?";
}

// --- regions and network -----------------------------------------------------------

template <class V>
void describe(V& v, RegionSpec& r) {
  v.required("name", r.name, "Region name; well-known names have built-in coordinates");
  v.optional("latitude", r.latitude_deg, Unit::latitude, "Latitude in degrees, for regions without built-in coordinates");
  v.optional("longitude", r.longitude_deg, Unit::longitude, "Longitude in degrees");
}

template <class V>
void describe(V& v, LatencySpec& l) {
  v.required("from", l.from, "One region");
  v.required("to", l.to, "The other region (latency is symmetric)");
  v.required("latency", l.latency_s, Unit::duration, "One-way backbone latency between them");
}

template <class V>
void describe(V& v, NetworkSpec& n) {
  v.optional("backbone_bandwidth", n.backbone_bandwidth_Bps, Unit::bandwidth,
             "Capacity of each backbone link between two regions (default 100Gbps)");
  v.optional("latencies", n.latencies, "Per-pair one-way latencies overriding the distance model");
}

// --- services ------------------------------------------------------------------------

template <class V>
void describe(V& v, VariantSpec& s) {
  v.required("name", s.name, "Variant name, e.g. fl1");
  v.required("share", s.share, Unit::fraction, "Share of the service's instances running this variant");
}

template <class V>
void describe(V& v, SegmentSpec& s) {
  v.required("name", s.name, "Segment name, e.g. managed-ruleset");
  v.required("share", s.share, Unit::fraction, "Share of the service's traffic in this segment");
}

template <class V>
void describe(V& v, InstanceSpec& i) {
  v.required("name", i.name, "Instance name, unique within the service");
  v.required("region", i.region, "Region it runs in");
  v.optional("capacity", i.capacity_rps, Unit::rate, "Requests per second it serves (default: the service's)");
  v.optional("variant", i.variant, "Variant it runs (default: assigned by the variants' shares)");
}

template <class V>
void describe(V& v, DependencySpec& d) {
  v.optional("kind", d.kind,
             "hard (fails with it), soft (degrades, never fails), any_of, k_of_n, cached, or look_aside (a cache in "
             "front of a store, services only) (default hard)");
  v.optional("target", d.target, "The service needed, as provider.service (hard, soft, cached)");
  v.optional("record", d.record,
             "cached, instead of target: the DNS record to resolve, as provider.record; its ttl applies");
  v.optional("targets", d.targets, "The services of which one (any_of) or k (k_of_n) must work");
  v.optional("k", d.k, "k_of_n: how many of the targets must work");
  v.optional("ttl", d.ttl_s, Unit::period, "cached with target: how long a good answer hides a failure");
  v.optional("serve_stale", d.serve_stale_s, Unit::duration,
             "cached: how long past the TTL a stale answer is still served while its source is down (RFC 8767)");
  v.optional("share", d.share, Unit::fraction,
             "Share of the requests that need this dependency to succeed (default 100%)");
  v.optional("load_share", d.load_share, Unit::fraction,
             "Share of the requests that call it and load it, needed or not (default: share)");
  v.optional("cache", d.cache, "look_aside: the cache read first, as provider.service (a service with `cache:`)");
  v.optional("store", d.store, "look_aside: the backing store read on a miss, or when the cache fails, as provider.service");
  v.optional("hit_rate", d.hit_rate, Unit::fraction, "look_aside: share of the reads the warm cache answers");
  v.optional("variant", d.variant,
             "hard, soft: only the target's instances running this variant serve it, by their own errors and state "
             "(default: all its instances)");
}

template <class V>
void describe(V& v, RetrySpec& r) {
  v.optional("max_retries", r.max_retries, "Retries after the first attempt (default 0)");
  v.optional("backoff_base", r.backoff_base_s, Unit::duration, "First backoff; doubles each retry (default 1s)");
  v.optional("backoff_max", r.backoff_max_s, Unit::timeout, "Longest backoff (default 30s)");
  v.optional("jitter", r.jitter, "none, full or equal (default full)");
  v.optional("budget", r.budget, Unit::fraction, "Retries allowed as a share of first attempts (default: no budget)");
}

template <class V>
void describe(V& v, QueueSpec& q) {
  v.required("max_wait", q.max_wait_s, Unit::duration,
             "Room in the queue, as the longest wait at the capacity up; arrivals that would wait longer are refused");
  v.optional("timeout", q.timeout_s, Unit::timeout, "Clients' timeout per attempt (default traffic.timeout)");
  v.optional("retry", q.retry, "Clients' retry policy (default traffic.retry)");
  v.optional("client_concurrency", q.client_concurrency, Unit::amount,
             "Requests the clients hold outstanding at most, summed over their connection pools; an attempt that "
             "finds the pool full fails at the client (default 0: no limit, an open loop)");
}

template <class V>
void describe(V& v, LeaseSpec& l) {
  v.required("units", l.units, Unit::amount, "Units of state held through the dependencies, e.g. droplet leases");
  v.required("lease", l.lease_s, Unit::duration, "A unit its dependencies cannot renew for this long is lost");
}

template <class V>
void describe(V& v, WarmupSpec& w) {
  v.required("requests", w.requests, Unit::amount, "Requests one instance sends to reload its state");
  v.required("from", w.from, "The service it reloads from, as provider.service");
}

template <class V>
void describe(V& v, ReturningUsersSpec& r) {
  v.required("share", r.share, Unit::fraction,
             "Share of the users whose request finally failed (after their client's retries) who come back; the rest give up");
  v.required("after", r.after_s, Unit::duration, "Mean delay before they come back (exponentially distributed)");
}

template <class V>
void describe(V& v, LoadBalancerSpec& lb) {
  v.optional("interval", lb.interval_s, Unit::period, "Time between health checks of each target (default 30s, as AWS NLB)");
  v.optional("timeout", lb.timeout_s, Unit::timeout,
             "A probe answered later than this fails (default 10s, as AWS NLB TCP checks)");
  v.optional("healthy_threshold", lb.healthy_threshold,
             "Consecutive passed checks before an unhealthy target is healthy again (default 5, as AWS NLB)");
  v.optional("unhealthy_threshold", lb.unhealthy_threshold,
             "Consecutive failed checks before a target is unhealthy (default 2, as AWS NLB)");
  v.optional("zone_failover_below", lb.zone_failover_below, Unit::fraction,
             "Withdraw a region's targets, healthy ones included, while its healthy share is below this (default 0: off)");
}

template <class V>
void describe(V& v, CpuSpec& c) {
  v.required("cores", c.cores, Unit::amount, "CPU cores (or workers) of one instance");
  v.required("cost", c.cost_s, Unit::duration,
             "Mean time of one core a request takes; an instance serves cores / cost requests per second");
}

template <class V>
void describe(V& v, CacheSpec& c) {
  v.required("refill", c.refill_s, Unit::period,
             "Time constant of the refill of lost content while every miss is answered by its store and written back");
}

template <class V>
void describe(V& v, ServiceSpec& s) {
  v.required("name", s.name, "Service name, unique within its provider");
  v.optional("instances", s.instances, "Instance count per region, e.g. {na-east: 4, eu-west: 3}");
  v.optional("instance_list", s.instance_list, "Instances given one by one (with or instead of counts)");
  v.optional("capacity", s.capacity_rps, Unit::rate,
             "Requests per second one instance serves (give this or cpu)");
  v.optional("cpu", s.cpu,
             "Capacity as a budget: cores (or workers) per instance and the mean cost of a request, "
             "e.g. {cores: 8, cost: 20ms} for 400 rps (give this or capacity)");
  v.optional("access_bandwidth", s.access_bandwidth_Bps, Unit::bandwidth,
             "Bandwidth of the link from the backbone to each instance (default 1Gbps)");
  v.optional("variants", s.variants, "Software generations and their shares of instances (default: one)");
  v.optional("segments", s.segments, "Shares of the service's traffic with a configuration of their own");
  v.optional("depends_on", s.depends_on, "Services this service needs, in this or another provider");
  v.optional("queue", s.queue, "Queue in front of the instances, with client timeouts and retries (default: none)");
  v.optional("leases", s.leases, "State held through the dependencies and rebuilt through the queue when lost");
  v.optional("warmup", s.warmup, "What an instance reloads from another service after it comes back up");
  v.optional("returning_users", s.returning_users,
             "Users whose request failed come back later as first attempts, which also load its hard dependencies");
  v.optional("load_balancer", s.load_balancer, "Health checks that take failing instances, or whole regions, out of service");
  v.optional("cache", s.cache,
             "It is a look-aside cache (read through look_aside dependencies): its content, lost to a flush or a "
             "crash, refills at this pace");
}

// --- config channels -------------------------------------------------------------------

template <class V>
void describe(V& v, TopologySpec& t) {
  v.required("kind", t.kind, "broadcast (from the origin to all), tree (k-ary relay) or pull (consumers poll)");
  v.optional("fanout", t.fanout, "tree: children per node");
  v.optional("period", t.period_s, Unit::period, "pull: how often each consumer polls");
}

template <class V>
void describe(V& v, WaveSpec& w) {
  v.required("fraction", w.fraction, Unit::fraction, "Share of consumers updated once this wave is done");
  v.optional("bake", w.bake_s, Unit::duration, "Time to watch before the next wave");
}

template <class V>
void describe(V& v, HealthGateSpec& g) {
  v.required("error_rate_above", g.error_rate_above, Unit::fraction,
             "Trips when the updated consumers' error rate exceeds this");
  v.optional("action", g.action, "halt (stop the rollout) or rollback (also revert the updated)");
}

template <class V>
void describe(V& v, RolloutSpec& r) {
  v.required("kind", r.kind, "global (every consumer at once) or staged (waves)");
  v.optional("waves", r.waves, "staged: the waves, in order, with growing fractions ending at 100%");
  v.optional("health_gate", r.health_gate, "staged: the gate between waves");
}

template <class V>
void describe(V& v, VersionCondition& c) {
  v.required("channel", c.channel, "Another channel the same consumers run, as provider.channel");
  v.required("running", c.running,
             "bad (a version a fault made), good, or the id of the bad_config_push fault whose version it runs");
}

template <class V>
void describe(V& v, VariantEffect& e) {
  v.optional("service", e.service,
             "A channel that feeds several services: the service whose variant this is, as provider.service "
             "(default: the channel's `consumers`)");
  v.required("variant", e.variant, "Variant of the consuming service");
  v.optional("segment", e.segment, "Only this traffic segment of the variant (default: all its traffic)");
  v.optional("on_load", e.on_load,
             "What the consumer does as it loads the version: serve (default), crash, crash_loop or refuse "
             "(keeps the version it runs)");
  v.optional("error_rate", e.error_rate, Unit::fraction, "serve: share of those requests failing on the version");
  v.optional("cost_factor", e.cost_factor, Unit::factor,
             "serve: each request costs this many times the CPU (above 1): capacity divided by it");
  v.optional("latency", e.latency_s, Unit::duration, "serve: latency added to the consumer's answers");
  v.optional("health_check_error_rate", e.health_check_error_rate, Unit::fraction,
             "serve: share of its load balancer's health checks failing on the version, its requests unaffected "
             "(the service needs a load_balancer; not with segment)");
  v.optional("up", e.up_s, Unit::period, "crash_loop: time the consumer serves the version before each crash");
  v.optional("down", e.down_s, Unit::period, "crash, crash_loop: time each restart takes (default 30s)");
  v.optional("after_crash", e.after_crash,
             "crash, crash_loop: fetch_on_restart (default: restarts after `down` and loads the newest version "
             "it was sent) or boot_loop (down until an operator restarts or remediates it)");
  v.optional("when", e.when, "Applies only while the consumer runs these versions of other channels (all of them)");
}

template <class V>
void describe(V& v, SourceSpec& s) {
  v.required("kind", s.kind, "manual (faults and operators push) or generator (rebuilt every period)");
  v.optional("every", s.every_s, Unit::period, "generator: how often a new version is built and published");
  v.optional("reads_from", s.reads_from, "generator: service queried each run, as provider.service");
  v.optional("bad_when_running", s.bad_when_running,
             "generator: the output is bad when the queried instance runs a bad version of this channel");
  v.optional("bad_effects", s.bad_effects, "generator: how each variant reacts to a bad output");
  v.optional("bad_size", s.bad_size_bytes, Unit::size, "generator: size of a bad output (default: the channel's)");
}

template <class V>
void describe(V& v, ChannelSpec& c) {
  v.required("name", c.name, "Channel name, unique within its provider");
  v.required("consumers", c.consumers, "Service of the same provider whose instances apply the file");
  v.optional("also_feeds", c.also_feeds,
             "More services whose instances apply it, as provider.service, other providers' included (a vendor "
             "pushing content to its customers' fleets); effects name theirs with `service`");
  v.required("origin", c.origin, "Region of the publisher");
  v.required("size", c.size_bytes, Unit::size, "Size of each config version");
  v.optional("uplink", c.uplink_Bps, Unit::bandwidth, "Bandwidth of the publisher's uplink (default 10Gbps)");
  v.optional("apply_delay", c.apply_delay_s, Unit::duration, "Time a consumer takes to apply a received version");
  v.optional("topology", c.topology, "How versions travel (default broadcast)");
  v.optional("rollout", c.rollout, "Rollout policy (default global)");
  v.optional("source", c.source, "Where versions come from (default manual)");
  v.optional("last_known_good", c.last_known_good,
             "Consumers that fail on a version fall back to the last good one (default false)");
}

// --- DNS and providers -----------------------------------------------------------------

template <class V>
void describe(V& v, HealthCheckSpec& h) {
  v.optional("interval", h.interval_s, Unit::period, "Time between checks (default 30s, as Route 53)");
  v.optional("failure_threshold", h.failure_threshold, "Consecutive failures before failing over (default 3)");
}

template <class V>
void describe(V& v, RecordSpec& r) {
  v.required("name", r.name, "Record name, unique within the provider, e.g. dynamodb.us-east-1");
  v.required("points_to", r.points_to, "Service the record resolves to, as provider.service");
  v.optional("secondary", r.secondary, "Failover target, as provider.service");
  v.optional("variant", r.variant,
             "Variant of points_to whose instances serve the record's clients and its health check (default: all)");
  v.optional("ttl", r.ttl_s, Unit::period, "Time resolvers cache an answer (default 60s)");
  v.optional("health_check", r.health_check, "Health-checked failover to the secondary");
  v.optional("resolvers", r.resolvers, Unit::amount,
             "Recursive resolvers caching the record: each refreshes it once per TTL, so its authority (the "
             "provider's first service) receives min(resolvers / ttl, the requests through the record) queries per "
             "second through its capacity and queue (default: none, no query load)");
}

template <class V>
void describe(V& v, ProviderSpec& p) {
  v.required("name", p.name, "Provider name, unique in the scenario");
  v.optional("use", p.use, "Template from scenarios/providers/<use>.yaml that this entry extends and overrides");
  v.optional("kind", p.kind, "cdn, cloud, dns or saas (default cdn)");
  v.required("services", p.services, "Services the provider runs");
  v.optional("channels", p.channels, "Config-distribution channels");
  v.optional("records", p.records, "DNS records the provider's first service answers for");
  v.optional("market_share", p.market_share, Unit::fraction,
             "Share of a generated population's sites using it, when the population gives no mix: for a cdn, of "
             "the sites behind a CDN; for dns, of all sites, with no backup provider; for cloud and saas, of all "
             "sites, as their origin (default: the published figure for its name, see docs/models/population.md)");
}

// --- sites and traffic ------------------------------------------------------------------

template <class V>
void describe(V& v, ClosedLoopSpec& c) {
  v.required("users", c.users, Unit::amount, "Users who each wait for an answer before their next request");
  v.required("think_time", c.think_time_s, Unit::duration, "Time a user takes between an answer and the next request");
}

template <class V>
void describe(V& v, SiteSpec& s) {
  v.required("name", s.name, "Site name, unique in the scenario");
  v.optional("rps", s.rps, Unit::rate,
             "Requests per second the site receives whatever becomes of them, an open loop (give this or closed_loop)");
  v.optional("closed_loop", s.closed_loop,
             "Users who wait for each answer, then think, then send again: users / (response time + think time) "
             "requests per second (give this or rps)");
  v.optional("users", s.users, Unit::amount, "People using the site at once, for user-minutes lost (default: unknown)");
  v.required("depends_on", s.depends_on, "Services the site needs");
}

template <class V>
void describe(V& v, ClientRegionSpec& c) {
  v.required("region", c.region, "Region the users are in");
  v.required("users", c.users, Unit::fraction, "Share of all users");
  v.optional("utc_offset", c.utc_offset_s, Unit::offset, "Local time minus UTC, e.g. -5h (default 0)");
}

template <class V>
void describe(V& v, DiurnalSpec& d) {
  v.required("peak_to_trough", d.peak_to_trough, Unit::factor, "Ratio of the daily peak rate to the trough (1: flat)");
  v.optional("peak_hour", d.peak_hour, Unit::hour, "Local hour of the peak, 0 to 24 (default 20)");
}

template <class V>
void describe(V& v, MixSpec& m) {
  v.required("name", m.name, "Class name, e.g. cloudflare-only");
  v.required("share", m.share, Unit::fraction, "Share of the generated sites in this class");
  v.required("depends_on", m.depends_on, "What sites of this class need (`[]`: none of the scenario's providers)");
}

template <class V>
void describe(V& v, AdoptionSpec& a) {
  v.optional("second_cdn", a.second_cdn, Unit::fraction,
             "Of the sites behind one of the scenario's CDNs, the share that also use a second CDN, drawn by market "
             "share (default 0)");
  v.optional("second_dns", a.second_dns, Unit::fraction,
             "Of the sites on one of the scenario's DNS providers, the share with a secondary provider, drawn by "
             "market share (default 0)");
  v.optional("dns_ttl", a.dns_ttl_s, Unit::period, "TTL of the sites' names (default 60s, the published median)");
  v.optional("serve_stale", a.serve_stale_s, Unit::duration,
             "How long past the TTL resolvers serve a stale answer while the provider is down (default: none)");
}

template <class V>
void describe(V& v, PopulationSpec& p) {
  v.required("sites", p.sites, "Number of sites to generate");
  v.optional("exponent", p.exponent, Unit::exponent, "Zipf exponent of the rates (default 1)");
  v.required("total_rps", p.total_rps, Unit::rate, "Sum of the generated sites' rates");
  v.optional("mix", p.mix,
             "Dependency classes and their shares of sites (default: from the providers' market shares and the "
             "published CDN use by rank, see docs/models/population.md)");
  v.optional("adoption", p.adoption,
             "Mitigations adopted by a share of the default mix's sites: second CDN, secondary DNS, TTL, serve-stale "
             "(not with a mix, whose classes say their dependencies)");
}

template <class V>
void describe(V& v, TrafficSpec& t) {
  v.optional("client_regions", t.client_regions, "Where users are, with their shares and time zones");
  v.optional("diurnal", t.diurnal, "Daily load curve (default flat)");
  v.optional("timeout", t.timeout_s, Unit::timeout, "Client timeout per attempt (default 10s)");
  v.optional("retry", t.retry, "Client retry policy");
  v.optional("population", t.population, "Sites generated from a Zipf law, in addition to `sites`");
  v.optional("step", t.step_s, Unit::period, "Time step of queues and retries (default 1s)");
}

// --- faults and operators -----------------------------------------------------------

template <class V>
void describe(V& v, FaultSpec& f) {
  v.required("id", f.id, "Fault identifier, unique in the scenario");
  v.variant("kind", f.kind, "fault", "What happens; each kind takes the keys of its own table below");
  v.required_time("at", f.at, "When it happens");
  v.optional("duration", f.duration_s, Unit::duration, "How long it lasts (default: to the end of the run, unless an operator action ends it; see "
             "\"Which actions end a fault\")");
}

template <class V>
void describe(V& v, DetectionSpec& d) {
  v.optional("metric", d.metric, "error_rate or availability (default error_rate)");
  v.optional("scope", d.scope, "global, or a service as provider.service (default global)");
  v.required("above", d.above, Unit::fraction, "Threshold the metric must exceed (for availability: fall below)");
  v.optional("for", d.for_s, Unit::duration, "How long it must stay beyond the threshold (default 0)");
  v.optional("reporting_delay", d.reporting_delay_s, Unit::duration, "Delay before the operator hears of it");
}

template <class V>
void describe(V& v, ActionConditionSpec& c) {
  v.required("healthy", c.healthy, "The service that must be healthy, as provider.service");
  v.optional("above", c.above, Unit::fraction, "Healthy while its availability is at least this (default 90%)");
  v.optional("for", c.for_s, Unit::duration, "How long it must stay healthy (default 0)");
}

template <class V>
void describe(V& v, ActionSpec& a) {
  v.variant("do", a.kind, "action", "The action; each takes the keys of its own table below");
  v.optional_time("at", a.at, "Scripted: when it is taken");
  v.optional("on_diagnosis", a.on_diagnosis, "Decided by the model: taken once the operator has diagnosed a fault");
  v.optional("when", a.when, "Waits, from its time or the diagnosis, until a service is healthy, then is taken");
  v.optional("rollout", a.rollout,
             "revert, rollback, push_last_known_good, kill_switch: the version it publishes goes out by this rollout "
             "(waves, bake, health gate) instead of the channel's");
}

template <class V>
void describe(V& v, TeamDependencySpec& d) {
  v.required("service", d.service, "A service the team needs, as provider.service (internal tools, remote access)");
  v.optional("stages", d.stages, "What it holds back: detection, diagnosis, actions (default all three)");
  v.optional("slowdown", d.slowdown, Unit::factor,
             "While it fails, those stages take this many times as long (detection and diagnosis only); "
             "default: blocked");
  v.optional("out_of_band", d.out_of_band_s, Unit::duration,
             "An other way in, up this long after the service first held the team back (default: none)");
  v.optional("healthy_above", d.healthy_above, Unit::fraction,
             "It fails while its availability is below this (default 90%)");
}

template <class V>
void describe(V& v, OperatorSpec& o) {
  v.required("name", o.name, "Operator team name");
  v.optional("detection", o.detection, "Rules that detect a problem");
  v.optional("diagnosis", o.diagnosis, Unit::duration, "Time from detection to diagnosis (a duration or {dist: ...})");
  v.optional("depends_on", o.depends_on, "Services the team needs to detect, diagnose or act");
  v.required("actions", o.actions, "Actions, scripted at given times or taken on diagnosis");
}

template <class V>
void describe(V& v, SeriesFilter& f) {
  v.optional("scope", f.scope, "Scope of the rows kept (global, provider, service, region, site, channel, segment, "
                               "client_region; default: any)");
  v.optional("entity", f.entity, "Entity pattern, `*` for any characters and `?` for one (default: any)");
  v.optional("metric", f.metric, "Metric of the rows kept, e.g. availability or failed_rps (default: any)");
}

template <class V>
void describe(V& v, OutputSpec& o) {
  v.optional("resolution", o.resolution_s, Unit::period, "Sampling step of the time series (default 1m)");
  v.optional("site_down_below", o.site_down_below, Unit::fraction,
             "A site counts as down while its availability is below this (default 90%)");
  v.optional("site_series", o.site_series, "Sites that get a per-site series in timeseries.csv (default: all)");
  v.optional("client_series", o.client_series,
             "With client regions: all (a series per service and client region), aggregated (per client region, over "
             "the services sites name) or auto (all up to 2,000 pairs, else aggregated; default)");
  v.optional("series", o.series,
             "Rows of timeseries.csv to write: a row is kept when any filter (scope, entity, metric) matches it "
             "(default: every row)");
  v.optional("compress", o.compress, "none, or gzip: write timeseries.csv.gz instead of timeseries.csv (default none)");
}

template <class V>
void describe(V& v, Scenario& s) {
  v.preprocessed("params", "Named values, used elsewhere as ${name}; overridable with --set params.name=value");
  v.object("scenario", "Name, start, duration and seed of the run", [&](V& header) {
    header.required("name", s.name, "Scenario name, used in run directory names");
    header.timestamp("start", s.start_epoch_s, "Start of the run, ISO-8601 UTC");
    header.required("duration", s.duration_s, Unit::duration, "Length of the simulated run");
    header.optional("seed", s.seed, "Seed of every random draw (default 1)");
  });
  v.optional("regions", s.regions, "Regions with custom coordinates (well-known names need no entry)");
  v.optional("network", s.network, "Backbone settings");
  v.required("providers", s.providers, "CDNs, clouds, DNS providers and SaaS");
  v.optional("sites", s.sites, "Sites and what they depend on");
  v.optional("traffic", s.traffic, "Client populations, load curve, timeouts and retries");
  v.optional("faults", s.faults, "Faults injected during the run");
  v.optional("operators", s.operators, "Operator teams: detection, diagnosis and actions");
  v.optional("output", s.output, "Output settings");
}

}  // namespace outagesim::scenario
