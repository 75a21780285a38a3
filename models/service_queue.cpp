#include "service_queue.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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

/// Share of admitted attempts served before the client's timeout.
double served_in_time(double wait_s, double timeout_s) { return wait_cdf(wait_s, timeout_s); }

/// Wait quantile q of the attempts served in time (the Erlang wait
/// conditioned on being below the timeout), by bisection.
double wait_quantile(double wait_s, double timeout_s, double q) {
  if (wait_s <= 0) return 0.0;
  const double target = q * served_in_time(wait_s, timeout_s);
  if (target <= 0) return timeout_s;
  double lo = 0, hi = timeout_s;
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    (wait_cdf(wait_s, mid) < target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

/// Retries arriving in the current step; a budget lets through at most
/// `budget` retries per first attempt and drops the rest, as a client-side
/// retry budget (a token bucket filled by first attempts) does.
double retry_arrivals(const QueueParams& p, const QueueState& state, double fresh_rps) {
  double wanted = 0;
  if (!state.retries.empty())
    for (double r : state.retries.front()) wanted += r;
  return p.retry.budget ? std::min(wanted, *p.retry.budget * fresh_rps) : wanted;
}

}  // namespace

QueueState QueueState::initial(const QueueParams& params) {
  QueueState s;
  s.held = params.lease_units;
  return s;
}

QueueOutcome queue_outcome(const QueueParams& p, const QueueState& state, const QueueInputs& in) {
  QueueOutcome o;
  const double capacity = std::max(0.0, in.capacity_rps);
  const double dependencies = std::clamp(in.dependencies, 0.0, 1.0);
  o.fresh_rps = std::max(0.0, in.fresh_rps);
  o.retry_rps = retry_arrivals(p, state, o.fresh_rps);
  if (p.lease_units > 0 && p.timeout_s > 0) o.lease_rps = dependencies * state.pending / p.timeout_s;
  o.offered_rps = o.fresh_rps + o.retry_rps + o.lease_rps;

  // A full queue (no room left, or no queue at all) takes no more than the
  // service drains; the rest is refused at once.
  const double admitted = std::clamp(in.admit, 0.0, 1.0) * o.offered_rps;
  const bool full = state.queued >= capacity * p.max_wait_s;
  o.admitted_rps = full ? std::min(admitted, capacity) : admitted;
  o.served_rps = state.queued > 0 ? capacity : std::min(capacity, o.admitted_rps);
  o.wait_s = capacity > 0 ? state.queued / capacity
                          : (state.queued > 0 ? std::numeric_limits<double>::infinity() : 0.0);
  o.in_time = capacity > 0 ? served_in_time(o.wait_s, p.timeout_s) : 0.0;
  // An attempt that enters waits for the queue ahead of it (FIFO).
  const double entered = o.offered_rps > 0 ? o.admitted_rps / o.offered_rps : 1.0;
  o.attempt_success = entered * o.in_time * std::clamp(in.quality, 0.0, 1.0) * dependencies;
  o.goodput_rps = o.offered_rps * o.attempt_success;
  o.lease_share = p.lease_units > 0 ? std::clamp(state.held / p.lease_units, 0.0, 1.0) : 1.0;
  // Retries rescue only what fails by chance on each attempt (waits, refusals);
  // an error or a failed dependency answers the retry the same way.
  const double sticky = std::clamp(in.quality, 0.0, 1.0) * dependencies;
  o.availability = sticky * eventual_success(entered * o.in_time, p.retry) * o.lease_share;
  o.latency_p50_s = wait_quantile(o.wait_s, p.timeout_s, 0.5);
  o.latency_p95_s = wait_quantile(o.wait_s, p.timeout_s, 0.95);
  o.overloaded = o.wait_s > p.timeout_s || (in.admit >= 1 && o.admitted_rps < admitted);
  return o;
}

void advance(const QueueParams& p, QueueState& state, const QueueInputs& in, double step_s) {
  const QueueOutcome o = queue_outcome(p, state, in);
  const int retries = p.retry.max_retries;

  // Attempts of this step by attempt number (0: first attempt), the retries
  // scaled as the budget allowed them.
  std::vector<double> arriving(static_cast<std::size_t>(retries) + 1, 0.0);
  arriving[0] = o.fresh_rps;
  if (!state.retries.empty()) {
    double wanted = 0;
    for (double r : state.retries.front()) wanted += r;
    const double paid = wanted > 0 ? o.retry_rps / wanted : 0.0;
    for (int k = 1; k <= retries && k <= static_cast<int>(state.retries.front().size()); ++k)
      arriving[static_cast<std::size_t>(k)] = paid * state.retries.front()[static_cast<std::size_t>(k - 1)];
    state.retries.pop_front();
  }

  // Those that timed out learn it a timeout later than those refused or
  // answered with an error; both then back off.
  const double entered = o.offered_rps > 0 ? o.admitted_rps / o.offered_rps : 1.0;
  const double timed_out = entered * (1.0 - o.in_time);
  const double failed_fast = std::max(0.0, 1.0 - o.attempt_success - timed_out);
  auto schedule = [&](int k, double rate, double extra_delay_s) {
    if (rate <= 0) return;
    DelayWindow window = retry_delay(p.retry, k);
    window.lo_s += extra_delay_s;
    window.hi_s += extra_delay_s;
    const auto shares = spread_over_steps(window, step_s);
    while (state.retries.size() < shares.size())
      state.retries.emplace_back(static_cast<std::size_t>(retries), 0.0);
    for (std::size_t j = 0; j < shares.size(); ++j)
      state.retries[j][static_cast<std::size_t>(k - 1)] += rate * shares[j];
  };
  for (int k = 0; k < retries; ++k) {
    const double rate = arriving[static_cast<std::size_t>(k)];
    schedule(k + 1, rate * timed_out, p.timeout_s);
    schedule(k + 1, rate * failed_fast, 0.0);
  }

  // The queue: what entered, minus what the service worked off.
  const double capacity = std::max(0.0, in.capacity_rps);
  const double served = std::min(capacity * step_s, state.queued + o.admitted_rps * step_s);
  state.queued = std::max(0.0, state.queued + o.admitted_rps * step_s - served);

  // Leases: lost while the dependencies fail, re-created by attempts that succeed.
  if (p.lease_units > 0) {
    const double dependencies = std::clamp(in.dependencies, 0.0, 1.0);
    const double lost = p.lease_s > 0 ? std::min(state.held, (1 - dependencies) * p.lease_units * step_s / p.lease_s)
                                      : (dependencies < 1 ? state.held * (1 - dependencies) : 0.0);
    const double lease_success = dependencies > 0 ? o.attempt_success / dependencies : 0.0;
    const double regained = std::min(state.pending, o.lease_rps * lease_success * step_s);
    state.held += regained - lost;
    state.pending += lost - regained;
  }
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
