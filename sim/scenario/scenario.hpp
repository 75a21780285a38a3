// The scenario as plain values: what the YAML said, with units resolved to SI
// doubles and times to seconds from the run's start. No YAML node ever leaves
// the loader; later stages (world, engine, metrics) see only these structs.
//
// The vocabulary follows DESIGN.md's "Modelling vocabulary". Faults and
// operator actions take one of several kinds, each its own type with only its
// own fields (fault_kinds.hpp, action_kinds.hpp), held in a std::variant.
// Other values with several shapes (a dependency that is hard, any-of or
// cached) are flat with a `kind` discriminator, and validate.cpp checks that
// each kind has the fields it needs and no others.
#pragma once

#include "action_kinds.hpp"
#include "fault_kinds.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace outagesim::scenario {

class SourceMap;

// --- values with several shapes ----------------------------------------------

enum class DistributionKind { fixed, uniform, exp, lognormal };

/// A stochastic quantity. `{dist: lognormal, median: 20m, p95: 1h}`; a bare
/// value is `fixed`. Every parameter is in the unit of the field it belongs to.
struct Distribution {
  DistributionKind kind = DistributionKind::fixed;
  double value = 0;   ///< fixed
  double min = 0;     ///< uniform
  double max = 0;     ///< uniform
  double mean = 0;    ///< exp
  double median = 0;  ///< lognormal
  double p95 = 0;     ///< lognormal
  bool operator==(const Distribution&) const = default;
};

/// A point in simulated time: fixed (seconds from start) or drawn from a
/// distribution of offsets from start, once per run from the scenario seed.
struct TimeSpec {
  double at_s = 0;                   ///< when fixed
  std::optional<Distribution> draw;  ///< when random
  bool operator==(const TimeSpec&) const = default;
};

// --- regions and components ---------------------------------------------------

/// A geographic region hosting PoPs, cloud regions or client populations.
/// Well-known names (docs/scenario-reference.md) have built-in coordinates.
struct RegionSpec {
  std::string name;
  std::optional<double> latitude_deg;
  std::optional<double> longitude_deg;
  bool operator==(const RegionSpec&) const = default;
};

/// Backbone latency between two regions, overriding the distance model.
struct LatencySpec {
  std::string from;
  std::string to;
  double latency_s = 0;  ///< one way
  bool operator==(const LatencySpec&) const = default;
};

struct NetworkSpec {
  double backbone_bandwidth_Bps = 100e9 / 8;
  std::vector<LatencySpec> latencies;  ///< per-pair overrides
  bool operator==(const NetworkSpec&) const = default;
};

/// A share of a service's instances running one software generation
/// (Cloudflare's FL1 and FL2 proxies reacted differently to the same file).
struct VariantSpec {
  std::string name;
  double share = 1.0;  ///< fraction of the service's instances, [0, 1]
  bool operator==(const VariantSpec&) const = default;
};

/// A share of a service's traffic with a configuration of its own (28% of
/// Cloudflare's HTTP traffic ran the Managed Ruleset on 2025-12-05).
struct SegmentSpec {
  std::string name;
  double share = 0;  ///< fraction of the service's traffic, [0, 1]
  bool operator==(const SegmentSpec&) const = default;
};

struct InstanceCount {
  std::string region;
  int count = 0;
  bool operator==(const InstanceCount&) const = default;
};

/// One instance given by hand instead of by count.
struct InstanceSpec {
  std::string name;
  std::string region;
  std::optional<double> capacity_rps;  ///< default: the service's capacity
  std::string variant;                 ///< default: assigned by shares
  bool operator==(const InstanceSpec&) const = default;
};

enum class DependencyKind { hard, soft, any_of, k_of_n, cached, look_aside };

/// What a site or a service needs. `hard`/`soft`/`cached` name one `target`;
/// `any_of`/`k_of_n` name several `targets` (multi-CDN, secondary DNS); a
/// `cached` dependency may instead name a DNS `record` and reach whatever
/// service the record resolves to. A `look_aside` dependency (a service's
/// only) reads through a `cache` in front of a `store` (docs/models/caches.md).
/// `share` is the share of the requests that need the dependency to
/// succeed; `load_share`, when given, the share that loads it (default: the
/// same), so that a call can load a service without being needed, or the
/// reverse.
struct DependencySpec {
  DependencyKind kind = DependencyKind::hard;
  std::string target;                ///< "provider.service"
  std::string record;                ///< cached: through this DNS record, "provider.record"
  std::vector<std::string> targets;  ///< any_of, k_of_n
  int k = 0;                         ///< k_of_n: how many must work
  double ttl_s = 0;                  ///< cached: how long a good answer hides a failure
  double serve_stale_s = 0;          ///< cached: how long past the TTL a stale answer is served
  double share = 1.0;                ///< share of the requests that need it, [0, 1]
  std::string variant;               ///< hard, soft: only the target's instances of this variant serve it; empty: all
  std::optional<double> load_share;  ///< share of the requests that call it; none: `share`
  std::string cache;                 ///< look_aside: the cache read first, "provider.service"
  std::string store;                 ///< look_aside: the backing store read on a miss, "provider.service"
  std::optional<double> hit_rate;    ///< look_aside: share of reads the warm cache answers, [0, 1]
  bool operator==(const DependencySpec&) const = default;
};

enum class Jitter { none, full, equal };

struct RetrySpec {
  int max_retries = 0;
  double backoff_base_s = 1;
  double backoff_max_s = 30;
  Jitter jitter = Jitter::full;
  std::optional<double> budget;  ///< retries allowed as a share of first attempts
  bool operator==(const RetrySpec&) const = default;
};

/// How a service holds load it cannot serve at once (docs/models/traffic.md):
/// a FIFO queue with room for `max_wait_s` of work, whose clients time out
/// and retry. Without it the service refuses what exceeds its capacity.
struct QueueSpec {
  double max_wait_s = 0;             ///< room in the queue, as a wait at full capacity
  std::optional<double> timeout_s;   ///< clients' timeout per attempt (default traffic.timeout)
  std::optional<RetrySpec> retry;    ///< clients' retries (default traffic.retry)
  double client_concurrency = 0;     ///< requests the clients hold outstanding at most; 0: no limit (open loop)
  bool operator==(const QueueSpec&) const = default;
};

/// Units of state a service holds through its dependencies (droplet leases,
/// sessions), lost when they fail for longer than a lease and re-created one
/// request each through the service's own queue.
struct LeaseSpec {
  double units = 0;
  double lease_s = 0;  ///< a unit not renewed for this long is lost
  bool operator==(const LeaseSpec&) const = default;
};

/// What an instance reloads after it comes back up (restart, crash): a
/// number of requests to another service, re-sent on timeout until done.
struct WarmupSpec {
  double requests = 0;
  std::string from;  ///< "provider.service"
  bool operator==(const WarmupSpec&) const = default;
};

/// Users whose request finally failed and who come back later: `share` of
/// them, after an exponential delay of mean `after_s`; the rest give up.
struct ReturningUsersSpec {
  double share = 0;
  double after_s = 0;
  bool operator==(const ReturningUsersSpec&) const = default;
};

/// NLB-style health checks of a service's instances (its targets), and
/// zone failover: a region whose healthy share of targets falls below
/// `zone_failover_below` is withdrawn whole. Defaults: AWS NLB, TCP checks
/// (docs/models/load-balancing.md).
struct LoadBalancerSpec {
  double interval_s = 30;     ///< HealthCheckIntervalSeconds
  double timeout_s = 10;      ///< HealthCheckTimeoutSeconds
  int healthy_threshold = 5;  ///< HealthyThresholdCount
  int unhealthy_threshold = 2;  ///< UnhealthyThresholdCount
  double zone_failover_below = 0;  ///< minimum healthy share of a zone's targets; 0: off
  bool operator==(const LoadBalancerSpec&) const = default;
};

/// Capacity as a budget (docs/models/traffic.md, "Capacity as a budget"):
/// each instance has `cores` (CPU cores, or workers) and a request costs
/// `cost_s` of one of them on average, so it serves cores / cost requests
/// per second. The plain `capacity` in requests per second is the same as
/// one core and a cost of 1 / capacity.
struct CpuSpec {
  double cores = 0;   ///< per instance
  double cost_s = 0;  ///< mean time of one core per request
  bool operator==(const CpuSpec&) const = default;
};

/// A service that is a look-aside cache: its content, once lost (a flush, a
/// crash of instances), refills with this time constant while the misses
/// are answered by their stores and written back (docs/models/caches.md).
struct CacheSpec {
  double refill_s = 0;
  bool operator==(const CacheSpec&) const = default;
};

struct ServiceSpec {
  std::string name;
  std::vector<InstanceCount> instances;   ///< generated: a count per region
  std::vector<InstanceSpec> instance_list; ///< explicit instances
  double capacity_rps = 0;                ///< per instance; 0: given by `cpu`
  std::optional<CpuSpec> cpu;             ///< capacity as a budget and a cost per request, instead of capacity_rps
  double access_bandwidth_Bps = 1e9 / 8;  ///< link from the backbone to each instance
  std::vector<VariantSpec> variants;      ///< empty: one implicit variant "default"
  std::vector<SegmentSpec> segments;      ///< empty: one implicit segment, all traffic
  std::vector<DependencySpec> depends_on; ///< other services it needs
  std::optional<QueueSpec> queue;         ///< none: the excess over capacity is refused
  std::optional<LeaseSpec> leases;
  std::optional<WarmupSpec> warmup;
  std::optional<ReturningUsersSpec> returning_users;  ///< none: users whose request failed give up
  std::optional<LoadBalancerSpec> load_balancer;  ///< health-checked targets behind a load balancer
  std::optional<CacheSpec> cache;  ///< it is a look-aside cache, whose content can be lost and refills
  bool operator==(const ServiceSpec&) const = default;
};

// --- config channels ----------------------------------------------------------

enum class TopologyKind { broadcast, tree, pull };

/// How a version travels from the publisher to the consumers.
struct TopologySpec {
  static constexpr const char* shorthand = "kind";  ///< `topology: broadcast`
  TopologyKind kind = TopologyKind::broadcast;
  int fanout = 0;         ///< tree: children per node
  double period_s = 0;    ///< pull: consumers poll every period
  bool operator==(const TopologySpec&) const = default;
};

struct WaveSpec {
  double fraction = 0;  ///< share of consumers updated by the end of this wave, (0, 1]
  double bake_s = 0;    ///< time to watch before the next wave
  bool operator==(const WaveSpec&) const = default;
};

enum class GateAction { halt, rollback };

/// Watches the error rate of updated consumers during a staged rollout.
struct HealthGateSpec {
  double error_rate_above = 0;  ///< trips when the updated consumers' error rate exceeds this
  GateAction action = GateAction::halt;
  bool operator==(const HealthGateSpec&) const = default;
};

enum class RolloutKind { global, staged };

struct RolloutSpec {
  static constexpr const char* shorthand = "kind";  ///< `rollout: global`
  RolloutKind kind = RolloutKind::global;
  std::vector<WaveSpec> waves;
  std::optional<HealthGateSpec> health_gate;
  bool operator==(const RolloutSpec&) const = default;
};

enum class SourceKind { manual, generator };

/// Where versions come from: pushed by hand (faults and operators), or made
/// by a generator every `every_s` whose output depends on another component.
struct SourceSpec {
  static constexpr const char* shorthand = "kind";  ///< `source: manual`
  SourceKind kind = SourceKind::manual;
  double every_s = 0;
  std::string reads_from;        ///< service queried each run (one instance, drawn at random)
  std::string bad_when_running;  ///< channel: output is bad when that instance runs a bad version of it
  std::vector<VariantEffect> bad_effects;
  std::optional<double> bad_size_bytes;
  bool operator==(const SourceSpec&) const = default;
};

/// A config-distribution system: a publisher at `origin` sends each version
/// of a file of `size_bytes` to every instance of the `consumers` service.
struct ChannelSpec {
  std::string name;
  std::string consumers;  ///< service name inside the same provider
  std::vector<std::string> also_feeds;  ///< more consumer services, as provider.service (other providers' too)
  std::string origin;     ///< region of the publisher
  double size_bytes = 0;
  double uplink_Bps = 10e9 / 8;
  double apply_delay_s = 0;
  TopologySpec topology;
  RolloutSpec rollout;
  SourceSpec source;
  bool last_known_good = false;  ///< consumers that fail on a version fall back to the last good one
  bool operator==(const ChannelSpec&) const = default;
};

// --- DNS ----------------------------------------------------------------------

struct HealthCheckSpec {
  double interval_s = 30;    ///< Route 53 standard interval
  int failure_threshold = 3; ///< Route 53 default
  bool operator==(const HealthCheckSpec&) const = default;
};

/// A DNS name pointing at a service, served by a DNS provider's service.
struct RecordSpec {
  std::string name;                 ///< e.g. dynamodb.us-east-1
  std::string points_to;            ///< "provider.service"
  std::string secondary;            ///< failover target, "provider.service"
  /// The variant of `points_to` its clients are on (empty: all its instances)
  std::string variant;
  double ttl_s = 60;
  std::optional<HealthCheckSpec> health_check;  ///< health-checked failover to `secondary`
  /// Recursive resolvers caching it, each refreshing it once per TTL: the
  /// record then loads its authority with queries (docs/models/dns.md,
  /// "Authorities under query load"); none: it brings no query load.
  std::optional<double> resolvers;
  bool operator==(const RecordSpec&) const = default;
};

enum class ProviderKind { cdn, cloud, dns, saas };

struct ProviderSpec {
  std::string name;
  std::string use;  ///< template it was built from (resolved before checks)
  ProviderKind kind = ProviderKind::cdn;
  std::vector<ServiceSpec> services;
  std::vector<ChannelSpec> channels;
  std::vector<RecordSpec> records;
  /// Share of a generated population's sites that use it (docs/models/population.md);
  /// none: the published figure for its name, if any.
  std::optional<double> market_share;
  bool operator==(const ProviderSpec&) const = default;
};

// --- sites and traffic ----------------------------------------------------------

/// A closed loop of users (docs/models/traffic.md, "Bounded clients"): each
/// of `users` waits for the answer to a request, thinks for `think_time_s`,
/// then sends the next, so they send users / (response time + think time)
/// requests per second (the interactive response time law).
struct ClosedLoopSpec {
  double users = 0;
  double think_time_s = 0;
  bool operator==(const ClosedLoopSpec&) const = default;
};

struct SiteSpec {
  std::string name;
  double rps = 0;  ///< an open loop: requests per second whatever the answers; 0: given by `closed_loop`
  std::optional<ClosedLoopSpec> closed_loop;  ///< users who wait for each answer, instead of rps
  std::optional<double> users;  ///< people using it at once, for user-minutes lost
  std::vector<DependencySpec> depends_on;
  bool operator==(const SiteSpec&) const = default;
};

struct ClientRegionSpec {
  std::string region;
  double users = 0;          ///< share of all users, [0, 1]
  double utc_offset_s = 0;   ///< local time = UTC + offset, for the diurnal curve
  bool operator==(const ClientRegionSpec&) const = default;
};

/// A day's load shape in local time: a cosine between trough and peak.
struct DiurnalSpec {
  double peak_to_trough = 1;  ///< 1: flat
  double peak_hour = 20;      ///< local hour of the peak, [0, 24)
  bool operator==(const DiurnalSpec&) const = default;
};

/// One class of a generated population: a share of sites and what they need.
struct MixSpec {
  std::string name;
  double share = 0;
  std::vector<DependencySpec> depends_on;
  bool operator==(const MixSpec&) const = default;
};

/// Mitigations adopted by a default-mix population (docs/models/population.md, "Mitigations").
struct AdoptionSpec {
  double second_cdn = 0;  ///< of the sites behind one of the scenario's CDNs, the share with a second CDN
  double second_dns = 0;  ///< of the sites on one of the scenario's DNS providers, the share with a secondary
  std::optional<double> dns_ttl_s;       ///< TTL of the sites' names (default: the published median, 60 s)
  std::optional<double> serve_stale_s;   ///< how long past the TTL stale answers are served (default: none)
  bool operator==(const AdoptionSpec&) const = default;
};

/// Sites generated from a Zipf law: site i (1-based) gets a rate proportional to i^-exponent.
struct PopulationSpec {
  int sites = 0;
  double exponent = 1.0;
  double total_rps = 0;
  std::vector<MixSpec> mix;  ///< empty: the default mix from the providers' market shares
  std::optional<AdoptionSpec> adoption;  ///< default mix only
  bool operator==(const PopulationSpec&) const = default;
};

struct TrafficSpec {
  std::vector<ClientRegionSpec> client_regions;
  std::optional<DiurnalSpec> diurnal;
  double timeout_s = 10;
  RetrySpec retry;
  std::optional<PopulationSpec> population;
  double step_s = 1;  ///< time step of the queues and retries
  bool operator==(const TrafficSpec&) const = default;
};

// --- faults and operators -------------------------------------------------------

/// A fault: when it happens, for how long, and what it is (its kind, with
/// that kind's own fields).
struct FaultSpec {
  std::string id;
  TimeSpec at;
  std::optional<double> duration_s;  ///< transient faults end by themselves; else an operator ends them
  FaultKind kind;
  bool operator==(const FaultSpec&) const = default;
};

enum class DetectionMetric { error_rate, availability };

/// Fires when `metric` of `scope` is beyond a threshold for `for_s`; the
/// operator hears of it `reporting_delay_s` later.
struct DetectionSpec {
  DetectionMetric metric = DetectionMetric::error_rate;
  std::string scope = "global";  ///< global, or "provider.service"
  double above = 0;
  double for_s = 0;
  double reporting_delay_s = 0;
  bool operator==(const DetectionSpec&) const = default;
};

/// A condition an action waits for: `healthy`'s availability at or above
/// `above` for `for_s`, watched at the sampling ticks as detection is.
struct ActionConditionSpec {
  std::string healthy;  ///< "provider.service"
  double above = 0.9;
  double for_s = 0;
  bool operator==(const ActionConditionSpec&) const = default;
};

/// An operator action: scripted at a time, or taken once a fault is
/// diagnosed; and what it does (its kind, with that kind's own fields).
struct ActionSpec {
  std::optional<TimeSpec> at;  ///< scripted: when
  bool on_diagnosis = false;   ///< decided by the model: taken once the fault is diagnosed
  ActionKind kind;
  std::optional<ActionConditionSpec> when;  ///< waits for this before it is taken
  std::optional<RolloutSpec> rollout;       ///< a version it publishes goes out by this, not the channel's policy
  bool operator==(const ActionSpec&) const = default;
};

/// The stages of the operator model a team's dependency can hold back.
enum class OperatorStage { detection, diagnosis, actions };

/// A service an operator team needs (internal tools, remote access, a status
/// page): while its availability is below `healthy_above`, the stages it
/// serves are slowed by `slowdown` or, without one, blocked, until it is
/// healthy again or the out-of-band path, `out_of_band_s` after it first held
/// the team back, is up.
struct TeamDependencySpec {
  std::string service;  ///< "provider.service"
  std::vector<OperatorStage> stages{OperatorStage::detection, OperatorStage::diagnosis, OperatorStage::actions};
  std::optional<double> slowdown;       ///< the stage takes this many times as long; none: blocked
  std::optional<double> out_of_band_s;  ///< none: no other way, the team waits for the service
  double healthy_above = 0.9;
  bool operator==(const TeamDependencySpec&) const = default;
};

struct OperatorSpec {
  std::string name;
  std::vector<DetectionSpec> detection;
  std::optional<Distribution> diagnosis;  ///< time from detection to diagnosis
  std::vector<TeamDependencySpec> depends_on;
  std::vector<ActionSpec> actions;
  bool operator==(const OperatorSpec&) const = default;
};

// --- output and the whole scenario ---------------------------------------------

/// Which series of what each client region sees (docs/outputs.md): one per
/// service and client region, or one per client region over the services
/// the sites name; `auto` gives the first up to client_series_pairs pairs.
enum class ClientSeries { auto_, all, aggregated };

enum class Compression { none, gzip };

/// Which rows of timeseries.csv to write (docs/outputs.md): a row is written
/// when any filter matches it. An empty field matches anything; `entity` is
/// a pattern where `*` stands for any run of characters and `?` for one.
struct SeriesFilter {
  std::string scope;
  std::string entity;
  std::string metric;
  bool operator==(const SeriesFilter&) const = default;
};

/// The scopes and metrics of timeseries.csv, for checking filters at load
/// time (a test holds them equal to the series declared in sim/metrics/series/).
const std::vector<std::string_view>& series_scopes();
const std::vector<std::string_view>& series_metrics();

struct OutputSpec {
  double resolution_s = 60;
  double site_down_below = 0.9;           ///< a site is down while its availability is below this
  std::optional<std::vector<std::string>> site_series;  ///< sites with a per-site series (default: all)
  ClientSeries client_series = ClientSeries::auto_;
  std::optional<std::vector<SeriesFilter>> series;  ///< rows of timeseries.csv to write (default: all)
  Compression compress = Compression::none;          ///< gzip: timeseries.csv.gz
  bool operator==(const OutputSpec&) const = default;
};

struct Scenario {
  std::string name;
  std::string file;          ///< where it was loaded from
  double start_epoch_s = 0;  ///< UTC, seconds since the Unix epoch
  double duration_s = 0;
  std::uint64_t seed = 1;
  std::vector<std::pair<std::string, std::string>> params;  ///< resolved, as name and YAML text
  std::vector<RegionSpec> regions;
  NetworkSpec network;
  std::vector<ProviderSpec> providers;
  std::vector<SiteSpec> sites;
  TrafficSpec traffic;
  std::vector<FaultSpec> faults;
  std::vector<OperatorSpec> operators;
  OutputSpec output;
  std::string source_hash;   ///< FNV-1a 64 of the file bytes and the overrides, 16 hex digits
  /// Where every value came from, for diagnostics made after loading.
  std::shared_ptr<const SourceMap> sources;
};

}  // namespace outagesim::scenario
