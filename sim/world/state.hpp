// The mutable state of a running world: what each instance runs and how it
// behaves. The engine changes it, only inside simulated time; observers read it.
#pragma once

#include "models/dns_cache.hpp"
#include "models/service_queue.hpp"
#include "ids.hpp"
#include "world.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace outagesim::world {

/// One version of a channel's file. Version 0 of every channel is the good
/// file every consumer runs at the start.
struct ConfigVersion {
  int channel = -1;
  int number = 0;  ///< 0, 1, 2... within the channel
  int fault = -1;  ///< the fault that produced it, or -1 for a good version
  double size_bytes = 0;
  std::vector<double> error_rate_by_variant;  ///< empty: harmless everywhere
  /// segment_error_rates[variant][segment]: share of that segment's requests
  /// failing on that variant (the service's declared segments); empty: none.
  std::vector<std::vector<double>> segment_error_rates;
  std::string origin;  ///< root cause: "fault:<id>", "operator:<name>" or "initial"
  /// Its effects beyond the plain rates above (the world's, which outlives
  /// the state), or null: none.
  const std::vector<ConfigEffect>* effects = nullptr;

  /// Carries a fault, whether or not its effects hurt anyone: a schema change
  /// that breaks nothing by itself is still the cause of what follows.
  [[nodiscard]] bool bad() const;
  [[nodiscard]] std::string label(const World& world) const;  ///< "cdn.features@v2"
};

/// What one fault, or one operator restart, does to an instance while it
/// lasts. Several can hold an instance at once (a crash inside a partition);
/// each is lifted on its own. Written with designated initializers
/// (`{.fault = f, .down = true}`), so that which index is which is spelled.
struct Impairment {
  FaultIndex fault = FaultIndex::none;     ///< the fault, or none for an operator's restart
  ActionIndex action = ActionIndex::none;  ///< the operator action behind it, or none
  bool down = false;
  double capacity_factor = 1;  ///< multiplies the other impairments'
  double added_latency_s = 0;  ///< adds to the other impairments'
  /// Taken out of service by its load balancer (down for clients, not for
  /// the balancer's own probes); `fault` is then the fault behind it, if known.
  bool out_of_service = false;
  /// An operator's restart or remediation: the fault it ended on this
  /// instance, which the warm-up herd when it comes back is charged to.
  FaultIndex remedies = FaultIndex::none;
  /// The effect of a version of this channel that the instance runs (its
  /// `fault` is the version's): a crash, or a cost in capacity or latency.
  int config_channel = -1;
};

struct InstanceState {
  double error_rate = 0;       ///< share of its requests that fail, [0, 1]
  bool up = true;              ///< down: serves nothing (crashed, restarting, cut off)
  double capacity_factor = 1;  ///< share of its capacity left, [0, 1]
  double added_latency_s = 0;  ///< latency injected on top of the path's
  int cause_fault = -1;        ///< the fault behind the state above (other than config), or -1
  /// Active impairments in arrival order; `up`, `capacity_factor`,
  /// `added_latency_s` and `cause_fault` are derived from them.
  std::vector<Impairment> impairments;
};

struct ServiceState {
  double load_factor = 1;  ///< offered load multiplier (surges)
  double admit = 1;        ///< share of offered load admitted (throttling, shedding)
  double capacity_scale = 1;  ///< operator scaling of every instance's capacity
  /// What its clients send, as operators changed it (docs/models/traffic.md,
  /// "Demand that changes"): a multiplier of its offered load, the share of
  /// first attempts turned away at the edge, and the retry policy in force
  /// when it is no longer the declared one.
  double demand_factor = 1;
  double turned_away = 0;
  std::optional<models::RetryPolicy> retry;
  models::QueueState queue;   ///< queue, retries in flight and leases (docs/models/traffic.md)
  /// First attempts of returning users of the services that need it and
  /// that get past their other dependencies; set at each traffic step.
  double forwarded_rps = 0;
  bool overloaded = false;    ///< waits past the timeout, or load refused for lack of room
  int overload_cause = -1;    ///< the fault active when the overload began, or -1
  int backlog_cause = -1;     ///< the fault behind the latest backlog others left (restarts), or -1
  int cause_fault = -1;    ///< the surge behind load_factor, or -1
  std::vector<int> surges; ///< active load_surge faults; load_factor is the product of theirs
  // A look-aside cache's content and a store's extra load (docs/models/caches.md).
  double cache_fill = 1;   ///< a cache: share of its warm content it holds, [0, 1]
  int cache_holds = 0;     ///< a cache: active cache_flush faults keeping it from refilling
  int cache_cause = -1;    ///< a cache: the fault that last emptied some of it, or -1
  /// A store: reads its caches miss beyond those of warm, working caches
  /// (the static offered load counts those); set at each traffic step.
  double miss_rps = 0;
  int miss_cause = -1;     ///< a store: the fault behind miss_rps, or -1
  /// A service with memory: its availability right after its latest traffic
  /// step, the rate its clients met (docs/models/dns.md, "Partial answers").
  double stepped_availability = 1;
};

/// A DNS record as its authoritative server answers it, and every answer it
/// gave: resolvers' caches follow the history over one TTL (models/dns_cache).
struct RecordState {
  int answer = -1;                 ///< the service it resolves to now, or -1: empty
  bool failed_over = false;        ///< answering its secondary after failed health checks
  bool failover_enabled = true;    ///< disable_failover: the health check counts as healthy
  std::vector<int> faults;         ///< active dns_record_change faults; the latest decides the answer
  int cause_fault = -1;            ///< the latest dns_record_change that hit it, kept after it ends (caches outlive it)
  std::vector<models::AnswerSpan> history;  ///< starts at -infinity with its primary
};

/// An operator's reroute in force: `service` uses `to` wherever it depended
/// on `from` (docs/models/operators.md).
struct DependencyOverride {
  int service = -1;
  int from = -1;
  int to = -1;
  ActionIndex action = ActionIndex::none;  ///< the reroute that put it in force
};

struct WorldState {
  double now_s = 0;  ///< simulated time of the state; cached dependencies depend on it
  std::vector<RecordState> records;
  /// unreachable[s]: when service s answered nothing at all (availability 0),
  /// kept for the services that caches refresh from (record authorities,
  /// targets of cached dependencies).
  std::vector<std::vector<models::Unreachable>> unreachable;
  /// partly_answered[s]: when record authority s, carrying query load,
  /// answered only part of the resolvers' refreshes (docs/models/dns.md,
  /// "Authorities under query load"); empty for every other service.
  std::vector<std::vector<models::PartlyAnswered>> partly_answered;
  /// With client regions, unreachable_from[c][s]: when client region c's
  /// resolvers could not reach record authority s, because it answered
  /// nothing at all, because a partition cut the region off from every
  /// instance of it up, or because a dns_unreachable fault cut the region's
  /// resolvers off from its provider (docs/models/dns.md).
  std::vector<std::vector<std::vector<models::Unreachable>>> unreachable_from;
  /// Active `partition` faults, in the order they began.
  std::vector<int> partitions;
  /// Active `dns_unreachable` faults, in the order they began.
  std::vector<int> dns_cut_offs;
  std::vector<InstanceState> instances;
  std::vector<ServiceState> services;
  /// Reroutes in force, in the order they were taken; a later one applies
  /// after an earlier one (a -> b, then b -> c makes a -> c).
  std::vector<DependencyOverride> overrides;
  /// running[c][k]: index into `versions` of what consumer k of channel c runs.
  std::vector<std::vector<int>> running;
  /// Every version ever published, by global index; a deque keeps addresses stable.
  std::deque<ConfigVersion> versions;
  /// latest[c]: index of channel c's most recently published version.
  std::vector<int> latest;

  /// Every instance healthy, every channel on its good version 0.
  static WorldState initial(const World& world);

  /// Publishes a new version of `channel`; returns its global index.
  int publish(int channel, int fault, double size_bytes, std::vector<double> error_rate_by_variant,
              std::string origin, std::vector<std::vector<double>> segment_error_rates = {});

  /// Consumer `k` of `channel` applies version `version`; recomputes the
  /// instance's error rate over every channel it consumes (effects of one
  /// may depend on what it runs of another). Returns false
  /// when it already runs the same or a newer version (nothing changes).
  bool apply(const World& world, int channel, int k, int version);
};

}  // namespace outagesim::world
