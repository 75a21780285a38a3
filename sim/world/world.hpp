// The scenario turned into what a simulation runs on: the platform, and the
// component graph (services -> instances, channels -> consumers, sites ->
// dependencies) with every reference resolved to an index. Plain data.
#pragma once

#include "models/anycast_routing.hpp"
#include "models/dependency_availability.hpp"
#include "models/diurnal_demand.hpp"
#include "models/service_queue.hpp"
#include "ids.hpp"
#include "platform.hpp"
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace outagesim::world {

struct Instance {
  std::string id;  ///< "provider.service/region/k", also its host's name
  int service = -1;
  int region = -1;
  int variant = 0;
  double capacity_rps = 0;
  /// The channels it consumes, each with its position among their consumers.
  std::vector<std::pair<int, int>> consumes;
};

/// A resolved dependency: the services it names, by index. A new field must
/// join dependency_less (world.cpp), which groups sites into classes.
struct Dependency {
  models::DependencyRule rule = models::DependencyRule::hard;
  std::vector<int> services;
  int k = 1;
  double share = 1.0;
  /// cached: clients hold answers for a TTL (docs/models/dns.md). Through
  /// `record` (whose TTL applies; `services` holds its primary), or else a
  /// cache of services[0]'s own answers for `ttl_s`.
  bool cached = false;
  int record = -1;
  double ttl_s = 0;
  double serve_stale_s = 0;
  /// hard, soft: only the target's instances of this variant serve it
  /// (index into its variants), by their own errors and state; -1: all.
  int variant = -1;
  /// look_aside: `services` is {cache, store}; the share of reads the warm
  /// cache answers (docs/models/caches.md).
  double hit_rate = 0;
  /// Share of the holder's requests that call it (its offered load); `share`
  /// is the share that needs it to succeed.
  double load_share = 1.0;
  /// Cached through a DNS record: with client regions, users resolve it
  /// through their own region's resolvers (docs/models/dns.md).
  [[nodiscard]] bool through_record() const { return cached && record >= 0; }
  bool operator==(const Dependency&) const = default;
};

struct Service {
  std::string id;  ///< "provider.service"
  std::string provider;
  std::vector<std::string> variants;  ///< at least one
  std::vector<scenario::SegmentSpec> segments;  ///< shares of its traffic with a configuration of their own
  std::vector<int> instances;
  std::vector<Dependency> dependencies;  ///< other services it needs
  double offered_rps = 0;  ///< load the sites (and dependent services) send it, before surges
  double site_rps = 0;     ///< the part of offered_rps the sites send it directly (the rest: its callers)
  /// Closed-loop users whose requests reach it (directly or through its
  /// callers); offered_rps counts them at their rate when answered at once,
  /// closed_loop_rps of it, and the queue at their rate given its wait.
  std::vector<models::ClosedLoop> closed_loops;
  double closed_loop_rps = 0;
  /// A DNS authority whose records declare resolvers: the refresh queries
  /// they bring, per second before surges (not scaled by the day: resolvers
  /// refresh as their answers expire, docs/models/dns.md).
  double dns_query_rps = 0;
  bool carries_queries = false;  ///< some record it answers declares resolvers
  /// How it holds load beyond its capacity (docs/models/traffic.md). With no
  /// queue, no retries and no leases, the excess is refused and nothing
  /// carries over from one instant to the next.
  models::QueueParams queue;
  double warmup_requests = 0;   ///< sent by each instance that comes back up...
  int warmup_from = -1;         ///< ...to this service's backlog
  bool receives_warmups = false;
  bool user_facing = false;  ///< named by a site's dependencies: its requests come from the client regions
  [[nodiscard]] bool has_memory() const {
    return queue.max_wait_s > 0 || queue.retry.max_retries > 0 || queue.retry_columns > 0 || queue.lease_units > 0 ||
           queue.return_share > 0 || receives_warmups;
  }
  std::optional<scenario::LoadBalancerSpec> load_balancer;  ///< health checks and zone failover of its instances
  double cache_refill_s = 0;  ///< a look-aside cache: time constant of its content's refill; 0: not a cache
  [[nodiscard]] bool is_cache() const { return cache_refill_s > 0; }
};

/// A service reading through a look-aside cache (docs/models/caches.md):
/// `reads_rps` of its offered load (at the daily mean, before surges) look
/// up `cache` first; the static offered load counts the misses of a warm,
/// working cache on `store`, and what the cache misses beyond that is added
/// to the store at run time (ServiceState::miss_rps).
struct LookAside {
  int reader = -1;
  int cache = -1;
  int store = -1;
  double hit_rate = 0;
  double reads_rps = 0;
};

/// A version's effect other than a plain error rate on a whole variant of
/// the channel's consumers (those stay in the per-variant rates): a crash, a
/// refusal, a cost in capacity or latency, or any effect with conditions on
/// other channels' versions (docs/models/config-distribution.md).
struct ConfigEffect {
  int service = -1;  ///< the consuming service whose variant it names
  int variant = 0;
  int segment = -1;              ///< -1: all of the variant's traffic
  double error_rate = 0;         ///< serve: share of those requests failing
  double traffic_share = 1;      ///< the segment's share of the variant's traffic (1: all of it)
  scenario::OnLoad on_load = scenario::OnLoad::serve;
  double capacity_factor = 1;    ///< serve: 1 / cost_factor
  double added_latency_s = 0;    ///< serve
  double health_check_error_rate = 0;  ///< serve: share of its load balancer's probes failing
  double up_s = 0;               ///< crash_loop: serves this long before each crash
  std::optional<double> down_s;  ///< crash, crash_loop: each restart; none: the engine's default
  scenario::AfterCrash after_crash = scenario::AfterCrash::fetch_on_restart;
  enum class Running { good, bad, fault };
  /// The consumer runs, of `channel`, a good version, a bad one, or the one `fault` made.
  struct Condition {
    int channel = -1;
    Running running = Running::bad;
    int fault = -1;
  };
  std::vector<Condition> when;  ///< all must hold
};

/// A generator source, resolved: every `every_s` it queries one instance of
/// `reads_from` and publishes a bad version when that instance runs a bad
/// version of `bad_when_running`.
struct Generator {
  double every_s = 0;
  int reads_from = -1;        ///< service
  int bad_when_running = -1;  ///< channel
  std::vector<double> bad_error_rate_by_variant;
  std::vector<std::vector<double>> bad_segment_error_rates;  ///< [variant][segment]
  std::vector<ConfigEffect> bad_config_effects;
  double bad_size_bytes = 0;
};

struct Channel {
  std::string id;           ///< "provider.channel"
  int service = -1;         ///< whose instances consume it (the first, when it feeds several)
  std::vector<int> services;   ///< every service it feeds: `service`, then those it also feeds
  std::vector<int> consumers;  ///< their instances, in that order
  std::string origin_host;  ///< the publisher's host
  int origin_region = -1;
  double size_bytes = 0;
  double apply_delay_s = 0;
  scenario::TopologySpec topology;
  scenario::RolloutSpec rollout;
  std::optional<Generator> generator;
  bool last_known_good = false;
};

struct Site {
  std::string name;
  double rps = 0;  ///< a closed loop's: users / think time, its rate when answered at once
  double users = 0;  ///< people using it at once; 0: unknown
  std::vector<Dependency> dependencies;
  bool series = true;  ///< gets a per-site series in timeseries.csv
  std::optional<scenario::ClosedLoopSpec> closed_loop;  ///< users who wait for each answer; none: an open loop
};

/// How many of `dependencies` go through a DNS record.
inline std::ptrdiff_t through_records(const std::vector<Dependency>& dependencies) {
  return std::count_if(dependencies.begin(), dependencies.end(), [](const Dependency& d) { return d.through_record(); });
}

/// Sites with the same dependency signature (their resolved dependency lists,
/// compared exactly: rule, targets, k, share, cached, record, ttl,
/// serve-stale, pinned variant; see dependency_less in world.cpp): the
/// same state gives each of them the same availability, so it is evaluated
/// once per class (docs/models/evaluation.md).
struct SiteClass {
  std::vector<Dependency> dependencies;
  std::vector<int> sites;  ///< its members, in site order
  double rps = 0;          ///< its members' rates, summed in site order
};

/// Above this many sites, a sample's totals (offered and served rates) are
/// summed class by class rather than site by site (docs/models/evaluation.md):
/// the cost of a sample stays in the classes, and the last digits of the
/// totals round differently from a site-by-site sum.
inline constexpr std::size_t sum_by_class_above = 100'000;

/// A DNS record: a name resolving to a service, cached by resolvers for
/// `ttl_s`, optionally failing over to a secondary on health checks.
struct Record {
  std::string id;  ///< "provider.record"
  int points_to = -1;
  int secondary = -1;  ///< -1: none
  /// The variant of `points_to` that serves the record's clients and answers
  /// its health check (an index into its variants); -1: all its instances.
  int variant = -1;
  int authority = -1;  ///< the service that answers for it: its provider's first service
  double ttl_s = 60;
  std::optional<scenario::HealthCheckSpec> health_check;
  std::optional<double> resolvers;  ///< recursive resolvers caching it; none: it brings no query load
  /// Refresh queries per second it brings its authority, before surges:
  /// models::refresh_query_rps of its resolvers, TTL and the static request
  /// rate through it (docs/models/dns.md, "Authorities under query load").
  double query_rps = 0;
};

/// A fault, its references resolved: what its kind names (a channel, a
/// record, targets, regions) as indexes; the kind's own parameters (a
/// capacity factor, a crash loop's periods) stay in `kind`.
struct Fault {
  std::string id;
  scenario::FaultKind kind;          ///< what the scenario says it is, with that kind's own fields
  double at_s = 0;                   ///< fixed, or drawn from the scenario seed
  std::optional<double> duration_s;  ///< the fault ends by itself after this long
  // a kind with a `channel` (a bad config push)
  int channel = -1;
  double size_bytes = 0;                      ///< of the version it publishes: its own, else the channel's
  std::vector<double> error_rate_by_variant;  ///< indexed like the consuming service's variants
  std::vector<std::vector<double>> segment_error_rates;  ///< [variant][segment], within each segment's traffic
  std::vector<ConfigEffect> config_effects;  ///< the version's other effects
  // a kind with a `target`: the instances hit, drawn once per run from the seed, and their service
  std::vector<int> instances;
  int service = -1;
  // a kind with a `record` (and a `new_target`)
  int record = -1;
  int new_target = -1;
  // a kind with `regions`: it hits every instance there (everywhere when none), of `provider` when given
  bool region_wide = false;
  std::vector<int> regions;
  std::string provider;
};

/// The multiplier of the load a surge adds: the faults in a service's
/// `surges` (WorldState) are load surges.
inline double surge_load_factor(const Fault& surge) {
  return std::get<scenario::faults::LoadSurge>(surge.kind).load_factor;
}

/// An operator's action, its references resolved like a fault's; the kind's
/// own parameters (a share admitted, a factor) stay in `kind`.
struct Action {
  std::string operator_name;
  int operator_index = -1;
  std::optional<double> at_s;  ///< scripted; none: taken on diagnosis
  scenario::ActionKind kind;   ///< what the scenario says it does, with that kind's own fields
  int channel = -1;
  int service = -1;            ///< a kind with a `service`, or its `target`'s service
  std::vector<int> instances;  ///< a kind with a `target`: the instances hit, drawn once per run from the seed
  int record = -1;
  int from = -1;               ///< reroute: the dependency of `service` replaced
  int to = -1;                 ///< reroute: the service used instead
  FaultIndex fault = FaultIndex::none;  ///< end_fault: the fault it ends
  /// `when`: taken once this service's availability has been at least
  /// `above` for `for_s` (-1: no condition).
  std::optional<scenario::RolloutSpec> rollout;  ///< its own rollout of the version it publishes
  int when_healthy = -1;
  double when_above = 0;
  double when_for_s = 0;
};

/// A service an operator team needs, resolved (docs/models/operators.md).
struct TeamDependency {
  int service = -1;
  std::vector<scenario::OperatorStage> stages;
  double slowdown = 0;  ///< the stages take this many times as long while it fails; 0: blocked
  std::optional<double> out_of_band_s;
  double healthy_above = 0.9;
  [[nodiscard]] bool holds(scenario::OperatorStage stage) const {
    return std::find(stages.begin(), stages.end(), stage) != stages.end();
  }
};

/// An operator team's detection and diagnosis, resolved.
struct DetectionRule {
  scenario::DetectionMetric metric = scenario::DetectionMetric::error_rate;
  int service = -1;  ///< -1: global
  double above = 0;
  double for_s = 0;
  double reporting_delay_s = 0;
};

struct OperatorTeam {
  std::string name;
  std::vector<DetectionRule> detection;
  double diagnosis_s = 0;  ///< drawn once per run from the scenario seed
  std::vector<TeamDependency> depends_on;
};

struct World {
  std::string name;
  double start_epoch_s = 0;
  double duration_s = 0;
  double resolution_s = 0;
  double site_down_below = 0;
  scenario::ClientSeries client_series = scenario::ClientSeries::auto_;  ///< output.client_series
  std::optional<std::vector<scenario::SeriesFilter>> series_filters;     ///< output.series
  scenario::Compression timeseries_compression = scenario::Compression::none;  ///< output.compress
  std::uint64_t seed = 1;
  /// Demand over the day: sites' and services' rates are daily means.
  models::DiurnalCurve diurnal;
  /// demand_factor's last instant and its value: every service and site
  /// class of a sample asks for the same instant, a pass over every client
  /// region each time. A cache of a pure function, not state (a World is
  /// evaluated by one thread: sweeps fork a process per run).
  mutable double demand_memo_t_s = std::numeric_limits<double>::quiet_NaN();
  mutable double demand_memo = 1;
  std::vector<models::ClientRegionLoad> client_regions;
  /// With client regions, how users reach services (docs/models/routing.md):
  /// the regions' names, in client_regions' order, and the round trip over
  /// the backbone from each to every platform region; then, as the origins
  /// of the calls services make to the services they depend on, from every
  /// platform region to every platform region.
  std::vector<std::string> client_region_names;
  std::vector<double> client_rtt_s;  ///< (client regions + platform regions) x platform regions, row-major
  /// Each row's order of preference of the serving regions by client_rtt_s:
  /// latencies are fixed for a run, so routing sorts them once, here.
  models::AnycastPreferences client_preferences;
  double traffic_step_s = 1;  ///< step of the queues and retries of services with memory
  Platform platform;
  std::vector<Service> services;
  std::vector<int> service_order;  ///< every service after the services it depends on
  std::vector<LookAside> look_asides;  ///< every look_aside dependency of a service, in service order
  std::vector<Instance> instances;
  std::vector<Channel> channels;
  std::vector<Site> sites;
  std::vector<SiteClass> site_classes;  ///< in order of their first site
  std::vector<int> site_class;          ///< per site: index into site_classes
  bool sums_by_class = false;           ///< more than sum_by_class_above sites
  std::vector<Record> records;
  std::vector<Fault> faults;
  std::vector<Action> actions;  ///< every operator's, scripted ones sorted by time, then those taken on diagnosis
  std::vector<OperatorTeam> operators;
};

/// Builds the world of a validated scenario. Deterministic: the same scenario
/// gives the same world, element for element (random times are drawn from the
/// scenario's seed).
World build(const scenario::Scenario& scenario);

/// The clients' retry policy a scenario's `retry:` declares, and its jitter.
models::RetryPolicy retry_policy(const scenario::RetrySpec& retry);
models::Jitter jitter_of(scenario::Jitter jitter);

/// Groups `world.sites` into `site_classes` and fills `site_class`; build()
/// calls it once every site is added.
void group_sites(World& world);

/// Spreads variants over `count` instances so that every prefix of the list
/// holds each variant in proportion to its share (largest deficit first).
std::vector<int> assign_variants(const std::vector<double>& shares, int count);

/// Demand at `t_s` (seconds from start) relative to the daily mean.
double demand_factor(const World& world, double t_s);

}  // namespace outagesim::world
