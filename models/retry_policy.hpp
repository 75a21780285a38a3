// Client retries as a fluid (docs/models/traffic.md): how long a client
// waits before retry k, how a failing stream of attempts is spread over the
// following time steps, and what share of requests eventually succeeds when
// each attempt succeeds with a given probability.
#pragma once

#include <optional>
#include <vector>

namespace outagesim::models {

/// none: every client waits exactly the backoff (synchronised retries);
/// full: uniform in [0, backoff]; equal: uniform in [backoff/2, backoff].
enum class Jitter { none, full, equal };

struct RetryPolicy {
  int max_retries = 0;             ///< retries after the first attempt
  double backoff_base_s = 1;       ///< wait before the first retry; doubles each retry
  double backoff_max_s = 30;       ///< longest wait
  Jitter jitter = Jitter::full;
  std::optional<double> budget;    ///< retries allowed per first attempt, e.g. 0.1
  bool operator==(const RetryPolicy&) const = default;
};

/// Clients' waits before retry `k` (1-based) are uniform in [lo_s, hi_s]
/// (lo_s == hi_s: all wait exactly that long).
struct DelayWindow {
  double lo_s = 0;
  double hi_s = 0;
};

DelayWindow retry_delay(const RetryPolicy& policy, int k);

/// Shares of a stream of retries that arrive in each of the steps
/// `first`, `first + 1`, ... after the step of their failure (1: the next
/// step; a retry never arrives in the step of its own failure). Only the
/// steps the delay window covers are listed, however far away they are; the
/// shares sum to 1.
struct StepShares {
  long first = 1;
  std::vector<double> shares;
};

/// How a stream of retries, each arriving `delay` after its failure, spreads
/// over the following time steps of `step_s`.
StepShares spread_over_steps(DelayWindow delay, double step_s);

/// Share of first attempts that eventually succeed when every attempt
/// succeeds with probability `success` independently, clients retry up to
/// `max_retries` times, and a budget allows at most `budget` retries per
/// first attempt on average (the retries it cannot pay for are not made).
double eventual_success(double success, const RetryPolicy& policy);

/// Attempts per first attempt in steady state, 1 + expected retries; never
/// more than 1 + max_retries, nor 1 + budget.
double amplification(double success, const RetryPolicy& policy);

}  // namespace outagesim::models
