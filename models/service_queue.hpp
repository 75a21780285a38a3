// A service under load as a fluid queue (docs/models/traffic.md): requests
// wait in a FIFO queue in front of the service's capacity; clients give up on
// a request after a timeout, but the service still spends its work on it;
// failed requests come back as retries, which adds load. Above capacity the
// queue grows, waits pass the timeout, little of the work done is useful and
// the retries keep the load up: a metastable failure (Bronson et al., HotOS
// 2021; Huang et al., OSDI 2022) that outlives its trigger.
//
// The same queue re-establishes leases: units of state (droplet leases,
// sessions) that the service renews through its dependencies, loses when
// they are unreachable for longer than the lease, and must then re-create
// one request each, re-submitted whenever it times out. A backlog of one-off
// work (what restarted clients reload) is re-submitted the same way.
//
// Users whose request finally fails (after their client's retries) do not
// all give up: a share of them come back later (returning users), so while
// the service, or what it needs, fails, a backlog of waiting users builds,
// and it arrives as new first attempts once the service works again.
#pragma once

#include "retry_policy.hpp"

#include <limits>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace outagesim::models {

struct QueueParams {
  double timeout_s = 10;   ///< clients give up on an attempt after this long
  double max_wait_s = 0;   ///< room in the queue, as a wait at full capacity; 0: no queue (refuse the excess)
  /// Requests the clients hold outstanding at most (their connection pools
  /// or concurrency limits, summed); 0: no limit (an open loop). A client
  /// holds a request until it is answered or times out.
  double client_concurrency = 0;
  RetryPolicy retry;
  /// Retries in flight are kept by attempt number up to the most retries any
  /// policy of the run allows (an operator may change the policy mid-run,
  /// QueueInputs::retry); at least retry.max_retries.
  int retry_columns = 0;
  double lease_units = 0;  ///< units of state held through the dependencies; 0: none
  double lease_s = 0;      ///< a unit not renewed for this long is lost
  double return_share = 0;    ///< share of users whose request finally failed who come back; 0: none
  double return_after_s = 0;  ///< mean delay before they come back (exponential)
  double step_s = 1;       ///< the step `advance` moves by; arrivals are spread over one step
  /// Attempts due after this time from the start (the run's end) are never
  /// seen, so they are not kept: the attempts in flight stay bounded by the
  /// run whatever the timeout or backoff.
  double horizon_s = std::numeric_limits<double>::infinity();
};

/// Latency some instances add to every answer (latency injection), with
/// their share of the capacity.
struct AddedLatency {
  double share = 0;
  double added_s = 0;
};

/// Users in a closed loop: each waits for the answer to a request (or its
/// timeout), thinks, then sends the next one.
struct ClosedLoop {
  double users = 0;
  double think_s = 0;
};

/// What the rest of the world offers the queue at one instant.
struct QueueInputs {
  double fresh_rps = 0;     ///< first attempts from clients in an open loop
  /// First attempts from closed loops, on top of fresh_rps: users / (response
  /// time + think time) each, the response time being the wait the queue
  /// holds now, up to the clients' timeout.
  std::vector<ClosedLoop> closed_loops{};
  double capacity_rps = 0;  ///< effective capacity of the instances up
  double quality = 1;       ///< share of served requests answered without error
  double dependencies = 1;  ///< availability of the services it needs
  double admit = 1;         ///< share of arrivals admitted (throttling, shedding)
  /// Share of first attempts (fresh and returning users) turned away at the
  /// edge before they reach the service: they fail at once, cost it
  /// nothing, and their clients do not retry them (shedding at the edge).
  double turned_away = 0;
  /// The clients' retry policy now, when an operator changed it from
  /// QueueParams::retry (docs/models/traffic.md, "Demand that changes").
  std::optional<RetryPolicy> retry{};
  std::vector<AddedLatency> added_latency{};  ///< empty: no instance adds latency
};

/// A new field must join `same` in sim/world/evaluator.cpp, which decides
/// whether a queue needs evaluating again.
struct QueueState {
  double queued = 0;   ///< requests waiting
  double held = 0;     ///< lease units held
  double pending = 0;  ///< lease units lost and not yet re-submitted
  double backlog = 0;  ///< one-off work others left (reloads after restarts), not yet submitted
  double waiting = 0;  ///< users whose request failed and who will come back, not yet returned
  /// Users counted since the start (returning users): requests that finally
  /// failed = deferred + abandoned; deferred = returned + waiting.
  double failed_users = 0;
  double deferred_users = 0;
  double abandoned_users = 0;
  double returned_users = 0;
  /// Steps taken since the start.
  long steps = 0;
  /// Attempts in flight, by the step they arrive in (the key counts steps
  /// from the start; `steps` is the current one), as rates: retry k of a
  /// first attempt in column k - 1 (k = 1 to max_retries), then re-sent
  /// backlog work, then re-sent lease work. Only the steps some attempt
  /// arrives in are kept, so a timeout of a year costs no more than one of a
  /// second.
  std::map<long, std::vector<double>> retries;

  static QueueState initial(const QueueParams& params);
};

/// The queue at one instant; a pure function of the state and the inputs.
struct QueueOutcome {
  double fresh_rps = 0;      ///< first attempts, open and closed loops
  double returning_rps = 0;  ///< first attempts of users coming back after a failure
  double turned_away_rps = 0;  ///< first attempts turned away at the edge (of fresh and returning)
  double retry_rps = 0;
  double lease_rps = 0;      ///< lease re-establishment attempts
  double backlog_rps = 0;    ///< backlog attempts
  double offered_rps = 0;    ///< every attempt past the edge: fresh, returning, retries, leases, backlog
  double admitted_rps = 0;   ///< entering the queue (or straight to service)
  double served_rps = 0;     ///< work done, useful or not
  double goodput_rps = 0;    ///< attempts answered in time and without error
  double wasted_rps = 0;     ///< work spent on attempts answered after their clients' timeout
  double wait_s = 0;         ///< mean wait in the queue
  double in_time = 1;        ///< share of admitted attempts answered before their timeout
  double attempt_success = 1;  ///< share of attempts that succeed
  double lease_share = 1;    ///< share of lease units held (1 without leases)
  /// Share of first attempts that eventually succeed, times lease_share.
  /// Retries rescue the attempts that failed by chance (timed out, refused);
  /// errors and failed dependencies are taken to answer every retry alike.
  double availability = 1;
  double latency_p50_s = 0;  ///< response time (queue wait + added latency) of attempts answered in time
  double latency_p95_s = 0;
  bool overloaded = false;   ///< waits past the timeout, or arrivals refused for lack of room
};

/// First attempts per second of closed-loop users facing a queue that
/// holds `queued` in front of `capacity_rps`: users / (min(wait, timeout) +
/// think time), summed over the loops (the interactive response time law).
double closed_loop_rps(const QueueParams& params, std::span<const ClosedLoop> loops, double queued, double capacity_rps);

/// `with_latency`: also compute the latency percentiles (by bisection, the
/// costly part; stepping the queue does not need them).
QueueOutcome queue_outcome(const QueueParams& params, const QueueState& state, const QueueInputs& in,
                           bool with_latency = true);

/// Moves the queue one step (params.step_s) forward under constant inputs:
/// explicit Euler on the queue and the leases; retries land in later steps
/// by their backoff, outstanding work is re-sent when it times out.
void advance(const QueueParams& params, QueueState& state, const QueueInputs& in);

/// An instance holding `share` of the capacity restarts: its queued requests
/// and its lease units are lost (the units go back to pending).
void drop_share(const QueueParams& params, QueueState& state, double share);

}  // namespace outagesim::models
