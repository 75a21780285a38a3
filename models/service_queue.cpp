#include "service_queue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

namespace outagesim::models {
namespace {

/// Waits of the attempts that enter a queue with a mean wait of `wait_s`
/// are taken as Erlang-distributed with shape `wait_shape` (coefficient of
/// variation 1/sqrt(shape) = 0.5): spread around the mean, as arrivals from
/// many clients make them, but not exponential, which would let a few
/// attempts through a queue whose every request waits far past the timeout.
constexpr int wait_shape = 4;

/// P(wait <= x) for the Erlang wait: 1 - e^-y sum_{i<k} y^i / i!, y = k x / mean.
double wait_cdf(double wait_s, double x_s) {
  if (wait_s <= 0) return 1.0;
  if (!std::isfinite(wait_s)) return 0.0;
  const double y = wait_shape * x_s / wait_s;
  double term = 1, sum = 1;
  for (int i = 1; i < wait_shape; ++i) {
    term *= y / i;
    sum += term;
  }
  return std::clamp(1.0 - std::exp(-y) * sum, 0.0, 1.0);
}

/// P(response time <= x) for an attempt that enters: its wait plus the
/// latency added by the instance it reaches (a share of the capacity each).
double response_cdf(double wait_s, std::span<const AddedLatency> added, double x_s) {
  if (added.empty()) return wait_cdf(wait_s, x_s);
  double p = 0, shares = 0;
  for (const auto& a : added) {
    shares += a.share;
    if (x_s >= a.added_s) p += a.share * wait_cdf(wait_s, x_s - a.added_s);
  }
  return shares > 0 ? p / shares : wait_cdf(wait_s, x_s);
}

/// Share of admitted attempts answered before the client's timeout.
double served_in_time(double wait_s, std::span<const AddedLatency> added, double timeout_s) {
  return response_cdf(wait_s, added, timeout_s);
}

/// Quantile q of the response time (wait plus added latency) of the
/// attempts answered in time, by bisection.
double response_quantile(double wait_s, std::span<const AddedLatency> added, double timeout_s, double q) {
  const double target = q * served_in_time(wait_s, added, timeout_s);
  if (wait_s <= 0) {
    // No queue: the response time is the added latency alone, a step function.
    std::vector<AddedLatency> sorted(added.begin(), added.end());
    std::sort(sorted.begin(), sorted.end(), [](const AddedLatency& a, const AddedLatency& b) { return a.added_s < b.added_s; });
    double shares = 0, cumulative = 0;
    for (const auto& a : sorted) shares += a.share;
    for (const auto& a : sorted) {
      if (a.added_s > timeout_s) break;
      cumulative += a.share / shares;
      if (cumulative >= target - 1e-12) return a.added_s;
    }
    return 0.0;
  }
  if (target <= 0) return timeout_s;
  double lo = 0, hi = timeout_s;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (response_cdf(wait_s, added, mid) < target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

/// Columns of a step's attempts in flight after the retries: as many retry
/// columns as the most retries any policy of the run allows, so that a
/// policy changed mid-run finds the retries in flight where it left them.
std::size_t retry_columns(const QueueParams& p) {
  return static_cast<std::size_t>(std::max({0, p.retry.max_retries, p.retry_columns}));
}
std::size_t backlog_column(const QueueParams& p) { return retry_columns(p); }
std::size_t lease_column(const QueueParams& p) { return backlog_column(p) + 1; }

/// Retries arriving in the current step; a budget lets through at most
/// `budget` retries per first attempt and drops the rest, as a client-side
/// retry budget (a token bucket filled by first attempts) does.
/// The attempts in flight that arrive in the current step, or null.
const std::vector<double>* arriving_now(const QueueState& state) {
  const auto it = state.retries.find(state.steps);
  return it == state.retries.end() ? nullptr : &it->second;
}

/// Retries due in the current step, before the budget.
double retries_due(const QueueParams& p, const QueueState& state) {
  double wanted = 0;
  if (const auto* now = arriving_now(state))
    for (std::size_t k = 0; k < backlog_column(p); ++k) wanted += (*now)[k];
  return wanted;
}

double retry_arrivals(const QueueParams& p, const QueueState& state, double fresh_rps) {
  const double wanted = retries_due(p, state);
  return p.retry.budget ? std::min(wanted, *p.retry.budget * fresh_rps) : wanted;
}

/// Users coming back after a failure, as first attempts per second: each
/// waiting user returns after an exponential delay of mean return_after_s,
/// so a step takes the share 1 - e^(-step / mean) of those waiting.
double returning_arrivals(const QueueParams& p, const QueueState& state) {
  if (p.return_share <= 0 || state.waiting <= 0) return 0.0;
  const double share = p.return_after_s > 0 ? 1.0 - std::exp(-p.step_s / p.return_after_s) : 1.0;
  return state.waiting * share / p.step_s;
}

double in_flight(const QueueState& state, std::size_t column) {
  const auto* now = arriving_now(state);
  return now == nullptr ? 0.0 : (*now)[column];
}

/// Users whose request finally failed this step: the last retry failed, or
/// the first attempt when there are no retries, or the budget refused the
/// retry. A share of them join the users waiting to come back, the rest give
/// up; those who came back this step leave the waiting ones.
void move_returning_users(const QueueParams& p, QueueState& state, const QueueOutcome& o,
                          const std::vector<double>& arriving, double retries_wanted) {
  // The last attempts: those the policy in force retries no more (retries
  // in flight beyond a lowered max_retries arrive, and are the last).
  double last_attempts = 0;
  for (std::size_t k = static_cast<std::size_t>(std::max(0, p.retry.max_retries)); k < arriving.size(); ++k)
    last_attempts += arriving[k];
  const double refused_by_budget = std::max(0.0, retries_wanted - o.retry_rps);
  const double failed =
      (last_attempts * (1.0 - o.attempt_success) + refused_by_budget + o.turned_away_rps) * p.step_s;
  const double returned = std::min(state.waiting, o.returning_rps * p.step_s);
  const double share = std::clamp(p.return_share, 0.0, 1.0);
  state.waiting += share * failed - returned;
  state.failed_users += failed;
  state.deferred_users += share * failed;
  state.abandoned_users += (1.0 - share) * failed;
  state.returned_users += returned;
}

/// The queue at a step's start, as the service can hold it: at most
/// max_wait of work at the current capacity. What a loss of capacity leaves
/// beyond that would wait past max_wait; the service drops it (as it
/// refuses an arrival that would), so that no wait exceeds max_wait.
double queued_at_start(const QueueParams& p, const QueueState& state, double capacity) {
  return std::clamp(state.queued, 0.0, capacity * p.max_wait_s);
}

/// Share of first attempts that succeed by chance over their chain of
/// retries: the retry policy's forecast with every attempt meeting today's
/// odds, but never more than the users' attempts arriving now achieve per
/// first attempt arriving now. While the odds fall (a queue filling past the
/// timeout), the retries that would rescue today's failures will meet worse
/// odds than today's; the forecast alone then reads a site as 98% available
/// while the service answers a third of its load. The realised share counts
/// the successes as they happen, so a user's success is never counted
/// before the attempt that makes it; in steady state both are equal.
double chain_success(const QueueParams& p, const QueueOutcome& o, double by_chance) {
  const double forecast = eventual_success(by_chance, p.retry);
  const double first = o.fresh_rps + o.returning_rps - o.turned_away_rps;
  if (p.retry.max_retries <= 0 || first <= 0) return forecast;
  return std::min(forecast, by_chance * (first + o.retry_rps) / first);
}

/// Attempts per second the clients can send with at most
/// `client_concurrency` outstanding: by Little's law, outstanding = rate x
/// time held, and a client holds a request for the wait it meets (taken at
/// the step's start) or its timeout, whichever is shorter. An attempt that
/// finds its client's pool full fails at the client, at once, and costs the
/// service nothing.
double held_s(const QueueParams& p, double queued, double capacity) {
  return std::min(capacity > 0 ? queued / capacity : p.timeout_s, p.timeout_s);
}

double client_limit(const QueueParams& p, double queued, double capacity) {
  if (p.client_concurrency <= 0) return std::numeric_limits<double>::infinity();
  const double held = held_s(p, queued, capacity);
  return held > 0 ? p.client_concurrency / held : std::numeric_limits<double>::infinity();
}

/// Attempts per second closed-loop users can have sent: a user waits for
/// each attempt (its retries included) before the next, so the users have
/// at most one attempt each outstanding, and their share `closed_share` of
/// the attempts is held to `users` by Little's law as the pools are. Past
/// the timeout the user has moved on: a request the service still holds
/// then no longer holds a user.
double users_limit(const QueueParams& p, std::span<const ClosedLoop> loops, double closed_share, double queued,
                   double capacity) {
  double users = 0;
  for (const auto& loop : loops) users += std::max(0.0, loop.users);
  const double held = held_s(p, queued, capacity);
  if (users <= 0 || closed_share <= 0 || held <= 0) return std::numeric_limits<double>::infinity();
  return users / (closed_share * held);
}

/// The queue's parameters with the clients' retry policy in force: the
/// declared one, or the one an operator changed it to (QueueInputs::retry).
/// `changed` holds the copy when there is one.
const QueueParams& in_force(const QueueParams& declared, const QueueInputs& in, QueueParams& changed) {
  if (!in.retry) return declared;
  // The retries in flight keep the declared layout, sized for every policy of the run.
  if (in.retry->max_retries > static_cast<int>(retry_columns(declared)))
    throw std::logic_error("models::queue: a retry policy allows more retries than QueueParams::retry_columns");
  changed = declared;
  changed.retry = *in.retry;
  changed.retry_columns = static_cast<int>(retry_columns(declared));
  return changed;
}

}  // namespace

double closed_loop_rps(const QueueParams& p, std::span<const ClosedLoop> loops, double queued, double capacity) {
  if (loops.empty()) return 0.0;
  // A user's request waits for the work ahead of it, or is given up on at the
  // timeout; an answer that is an error or a refusal comes at once.
  const double response_s = capacity > 0 ? std::min(queued / capacity, p.timeout_s) : 0.0;
  double rps = 0;
  for (const auto& loop : loops)
    if (loop.users > 0 && response_s + loop.think_s > 0) rps += loop.users / (response_s + loop.think_s);
  return rps;
}

QueueState QueueState::initial(const QueueParams& params) {
  QueueState s;
  s.held = params.lease_units;
  return s;
}

QueueOutcome queue_outcome(const QueueParams& declared, const QueueState& state, const QueueInputs& in,
                           bool with_latency) {
  QueueParams changed;
  const QueueParams& p = in_force(declared, in, changed);
  QueueOutcome o;
  const double capacity = std::max(0.0, in.capacity_rps);
  const double dependencies = std::clamp(in.dependencies, 0.0, 1.0);
  const double closed_rps = closed_loop_rps(p, in.closed_loops, queued_at_start(p, state, capacity), capacity);
  o.fresh_rps = std::max(0.0, in.fresh_rps) + closed_rps;
  o.returning_rps = returning_arrivals(p, state);
  // The edge turns away a share of the first attempts; the retries of
  // attempts it let through pass (work in progress is kept, new work shed).
  const double turned_away = std::clamp(in.turned_away, 0.0, 1.0);
  o.turned_away_rps = turned_away * (o.fresh_rps + o.returning_rps);
  // A retry budget's tokens come from the first attempts the clients send.
  o.retry_rps = retry_arrivals(p, state, o.fresh_rps + o.returning_rps);
  // Outstanding work starts all at once (spread over one step) once the
  // dependencies it needs answer, then is re-sent whenever it times out.
  o.backlog_rps = in_flight(state, backlog_column(p)) + dependencies * state.backlog / p.step_s;
  o.lease_rps = in_flight(state, lease_column(p)) + dependencies * state.pending / p.step_s;
  o.offered_rps = o.fresh_rps + o.returning_rps - o.turned_away_rps + o.retry_rps + o.backlog_rps + o.lease_rps;

  // An attempt first needs what the service depends on (a login page its
  // captcha, a lookup its database); one that fails there is answered at
  // once and costs the service nothing. A full queue (no room left, or no
  // queue at all) takes no more than the service drains; the rest is
  // refused at once.
  const double wanting = std::clamp(in.admit, 0.0, 1.0) * dependencies * o.offered_rps;
  // The queue takes, over the step, what the service drains plus the room
  // left, never more: its wait stays within max_wait whatever the capacity
  // was a moment ago (a queue that gains room fills it, not past it).
  const double queued = queued_at_start(p, state, capacity);
  const double room_left = capacity * p.max_wait_s - queued;
  o.admitted_rps = std::min(wanting, capacity + room_left / p.step_s);
  o.admitted_rps = std::min(o.admitted_rps, client_limit(p, queued, capacity));
  if (closed_rps > 0)
    o.admitted_rps = std::min(o.admitted_rps, users_limit(p, in.closed_loops, closed_rps / o.fresh_rps, queued, capacity));
  o.served_rps = std::min(capacity, queued / p.step_s + o.admitted_rps);
  // An attempt that enters waits for the work ahead of it (FIFO): on
  // average over the step, the queue at its start plus half the step's growth.
  const double ahead = queued + std::max(0.0, o.admitted_rps - capacity) * p.step_s / 2;
  o.wait_s = capacity > 0 ? ahead / capacity : 0.0;
  o.in_time = capacity > 0 ? served_in_time(o.wait_s, in.added_latency, p.timeout_s) : 0.0;
  const double entered = o.offered_rps > 0 ? o.admitted_rps / o.offered_rps : dependencies;
  const double quality = std::clamp(in.quality, 0.0, 1.0);
  o.attempt_success = entered * o.in_time * quality;
  // Goodput is counted as the service answers, not as attempts arrive: of
  // the work it does now, the share answered in time and without error.
  // While a queue grows, more arrives than is served; the rest is answered
  // (or not) in later steps.
  o.goodput_rps = o.served_rps * o.in_time * quality;
  // The rest of the work served on attempts whose clients already gave up:
  // the budget spent for nothing (errors are answers, not waste).
  o.wasted_rps = o.served_rps * (1.0 - o.in_time);
  o.lease_share = p.lease_units > 0 ? std::clamp(state.held / p.lease_units, 0.0, 1.0) : 1.0;
  // Retries rescue only what fails by chance on each attempt (waits, refusals);
  // an error or a failed dependency answers the retry the same way.
  const double by_chance = dependencies > 0 ? entered / dependencies * o.in_time : 0.0;
  o.availability = (1.0 - turned_away) * quality * dependencies * chain_success(p, o, std::min(1.0, by_chance)) *
                   o.lease_share;
  if (with_latency) {
    o.latency_p50_s = response_quantile(o.wait_s, in.added_latency, p.timeout_s, 0.5);
    o.latency_p95_s = response_quantile(o.wait_s, in.added_latency, p.timeout_s, 0.95);
  }
  o.overloaded = o.wait_s > p.timeout_s || (in.admit >= 1 && o.admitted_rps < wanting);
  return o;
}

void advance(const QueueParams& declared, QueueState& state, const QueueInputs& in) {
  QueueParams changed;
  const QueueParams& p = in_force(declared, in, changed);
  const QueueOutcome o = queue_outcome(p, state, in, /*with_latency=*/false);
  const double step_s = p.step_s;
  const int retries = std::max(0, p.retry.max_retries);
  const std::size_t columns = lease_column(p) + 1;

  // Attempts of this step by attempt number (0: first attempt), the retries
  // scaled as the budget allowed them; retries in flight beyond the policy
  // in force (it was lowered) arrive too.
  // A returning user's first attempt is a first attempt like any other.
  std::vector<double> arriving(retry_columns(p) + 1, 0.0);
  arriving[0] = o.fresh_rps + o.returning_rps - o.turned_away_rps;
  const double wanted = retries_due(p, state);
  if (const auto now = state.retries.find(state.steps); now != state.retries.end()) {
    const double paid = wanted > 0 ? o.retry_rps / wanted : 0.0;
    for (std::size_t k = 1; k < arriving.size(); ++k) arriving[k] = paid * now->second[k - 1];
    state.retries.erase(now);
  }

  // Clients learn of a timeout a timeout later than of a refusal or an
  // error; both then back off. Outstanding work is re-sent a timeout after
  // it was sent, whatever became of it: its owner checks on it that often.
  const double entered = o.offered_rps > 0 ? o.admitted_rps / o.offered_rps : 1.0;
  const double timed_out = entered * (1.0 - o.in_time);
  const double failed_fast = std::max(0.0, 1.0 - o.attempt_success - timed_out);
  // The last step whose attempts are seen: the one after the step taken at
  // the horizon (what that step leaves is still read).
  const double last_step = std::floor(std::min(p.horizon_s / step_s + 1e-9, 1e15)) + 1;
  auto schedule = [&](std::size_t column, DelayWindow window, double rate) {
    if (rate <= 0) return;
    const auto spread = spread_over_steps(window, step_s);
    for (std::size_t j = 0; j < spread.shares.size(); ++j) {
      const long at = state.steps + spread.first + static_cast<long>(j);
      if (static_cast<double>(at) > last_step) break;
      if (spread.shares[j] <= 0) continue;
      auto& due = state.retries[at];
      if (due.empty()) due.assign(columns, 0.0);
      due[column] += rate * spread.shares[j];
    }
  };
  auto after_timeout = [&](DelayWindow w) { return DelayWindow{w.lo_s + p.timeout_s, w.hi_s + p.timeout_s}; };
  for (int k = 0; k < retries; ++k) {
    const double rate = arriving[static_cast<std::size_t>(k)];
    const DelayWindow backoff = retry_delay(p.retry, k + 1);
    schedule(static_cast<std::size_t>(k), after_timeout(backoff), rate * timed_out);
    schedule(static_cast<std::size_t>(k), backoff, rate * failed_fast);
  }
  const double dependencies = std::clamp(in.dependencies, 0.0, 1.0);
  for (auto [column, rate] : {std::pair{backlog_column(p), o.backlog_rps}, std::pair{lease_column(p), o.lease_rps}}) {
    schedule(column, after_timeout({0, 0}), rate * (1 - o.attempt_success));
  }
  state.backlog *= 1 - dependencies;
  if (p.return_share > 0) move_returning_users(p, state, o, arriving, wanted);
  const double regained = o.lease_rps * o.attempt_success * step_s;
  state.pending *= 1 - dependencies;

  // The queue: what entered, minus what the service worked off.
  const double capacity = std::max(0.0, in.capacity_rps);
  state.queued = std::clamp(queued_at_start(p, state, capacity) + (o.admitted_rps - o.served_rps) * step_s, 0.0,
                            capacity * p.max_wait_s);

  // Leases: lost while the dependencies fail, a share per lease period.
  if (p.lease_units > 0) {
    const double lost = p.lease_s > 0 ? std::min(state.held, (1 - dependencies) * p.lease_units * step_s / p.lease_s)
                                      : state.held * (1 - dependencies);
    state.held = std::min(p.lease_units, state.held + regained - lost);
    state.pending += lost;
  }
  ++state.steps;
}

void drop_share(const QueueParams& p, QueueState& state, double share) {
  share = std::clamp(share, 0.0, 1.0);
  state.queued *= 1 - share;
  if (p.lease_units > 0) {
    const double lost = state.held * share;
    state.held -= lost;
    state.pending += lost;
  }
}

}  // namespace outagesim::models
