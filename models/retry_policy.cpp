#include "retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace outagesim::models {
namespace {

/// Expected retries per first attempt without a budget: a retry k happens
/// when the first attempt and the k - 1 retries before it all failed.
double retries_without_budget(double failure, int max_retries) {
  double expected = 0, chain = 1;
  for (int k = 1; k <= max_retries; ++k) {
    chain *= failure;
    expected += chain;
  }
  return expected;
}

/// Share of failing chains the budget lets retry, [0, 1].
double budget_share(double failure, const RetryPolicy& policy) {
  const double wanted = retries_without_budget(failure, policy.max_retries);
  if (!policy.budget || wanted <= *policy.budget || wanted <= 0) return 1.0;
  return std::clamp(*policy.budget / wanted, 0.0, 1.0);
}

}  // namespace

DelayWindow retry_delay(const RetryPolicy& policy, int k) {
  const double backoff =
      std::min(policy.backoff_max_s, policy.backoff_base_s * std::pow(2.0, std::max(0, k - 1)));
  switch (policy.jitter) {
    case Jitter::none: return {backoff, backoff};
    case Jitter::equal: return {backoff / 2, backoff};
    case Jitter::full: break;
  }
  return {0, backoff};
}

StepShares spread_over_steps(DelayWindow delay, double step_s) {
  // A retry that arrives at delay d lands in step ceil(d / step) after its
  // own, at least the next one.
  // (Capped far past any run, so that the count fits a long whatever the delay.)
  auto step_of = [&](double d) { return std::max(1L, static_cast<long>(std::ceil(std::min(d / step_s, 1e15) - 1e-9))); };
  const long first = step_of(delay.lo_s);
  const long last = step_of(delay.hi_s);
  StepShares out{first, std::vector<double>(static_cast<std::size_t>(last - first + 1), 0.0)};
  if (delay.hi_s - delay.lo_s <= 0 || first == last) {
    out.shares.back() = 1.0;
    return out;
  }
  const double width = delay.hi_s - delay.lo_s;
  for (long j = first; j <= last; ++j) {
    // Step j collects the delays in ((j - 1) step, j step]; step 1 also those below.
    const double from = j == 1 ? delay.lo_s : std::max(delay.lo_s, static_cast<double>(j - 1) * step_s);
    const double to = std::min(delay.hi_s, static_cast<double>(j) * step_s);
    out.shares[static_cast<std::size_t>(j - first)] = std::max(0.0, to - from) / width;
  }
  return out;
}

double eventual_success(double success, const RetryPolicy& policy) {
  const double failure = 1.0 - std::clamp(success, 0.0, 1.0);
  const double retried = budget_share(failure, policy);
  // A chain the budget pays for fails only when all 1 + max_retries attempts
  // fail; one it does not pay for fails with its first attempt.
  const double fails = retried * std::pow(failure, policy.max_retries + 1) + (1 - retried) * failure;
  return 1.0 - fails;
}

double amplification(double success, const RetryPolicy& policy) {
  const double failure = 1.0 - std::clamp(success, 0.0, 1.0);
  return 1.0 + budget_share(failure, policy) * retries_without_budget(failure, policy.max_retries);
}

}  // namespace outagesim::models
