// What the clients send, changed mid-run (docs/models/traffic.md, "Demand
// that changes"): first attempts turned away at the edge, and a retry policy
// replaced while retries of the old one are in flight.
#include "models/rng.hpp"
#include "models/service_queue.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

QueueParams api() {
  QueueParams p;
  p.max_wait_s = 30;
  p.timeout_s = 2;
  p.retry = {.max_retries = 3, .backoff_base_s = 1, .backoff_max_s = 8, .jitter = Jitter::full, .budget = {}};
  return p;
}

TEST(EdgeShedding, TurnedAwayAttemptsFailAtOnceCostNothingAndAreNotRetried) {
  const QueueParams p = api();
  const QueueInputs in{.fresh_rps = 80e3, .capacity_rps = 100e3, .turned_away = 0.25};
  QueueState state = QueueState::initial(p);
  const QueueOutcome o = queue_outcome(p, state, in);
  EXPECT_DOUBLE_EQ(o.turned_away_rps, 20e3);
  EXPECT_DOUBLE_EQ(o.offered_rps, 60e3);
  EXPECT_DOUBLE_EQ(o.served_rps, 60e3);
  EXPECT_DOUBLE_EQ(o.goodput_rps, 60e3);
  EXPECT_DOUBLE_EQ(o.availability, 0.75);
  advance(p, state, in);
  EXPECT_TRUE(state.retries.empty()) << "nothing let through failed, and what was turned away is not retried";
  EXPECT_DOUBLE_EQ(state.queued, 0.0);
}

TEST(EdgeShedding, TurnedAwayUsersAreFailedUsersAndAShareOfThemReturn) {
  QueueParams p = api();
  p.return_share = 0.4;
  p.return_after_s = std::numeric_limits<double>::infinity();  // none back: every one is still waiting
  const QueueInputs in{.fresh_rps = 1000, .capacity_rps = 100e3, .turned_away = 0.3};
  QueueState state = QueueState::initial(p);
  for (int k = 0; k < 100; ++k) advance(p, state, in);
  EXPECT_NEAR(state.failed_users, 0.3 * 1000 * 100, 1e-9 * state.failed_users);
  EXPECT_NEAR(state.deferred_users, 0.4 * state.failed_users, 1e-9 * state.failed_users);
  EXPECT_NEAR(state.abandoned_users, 0.6 * state.failed_users, 1e-9 * state.failed_users);
  EXPECT_NEAR(state.waiting, state.deferred_users - state.returned_users, 1e-9 * state.failed_users);
}

TEST(EdgeShedding, TheEdgeLetsTheRetriesOfAttemptsItLetThroughPass) {
  // Every attempt fails (errors): a first attempt let through makes all its
  // retries, so the offered load settles at (1 - share) x (1 + max_retries).
  const QueueParams p = api();
  const QueueInputs in{.fresh_rps = 1000, .capacity_rps = 100e3, .quality = 0, .turned_away = 0.5};
  QueueState state = QueueState::initial(p);
  for (int k = 0; k < 200; ++k) advance(p, state, in);
  EXPECT_NEAR(queue_outcome(p, state, in).offered_rps, 0.5 * 1000 * 4, 1e-6);
}

/// A random retry policy within the language's ranges.
RetryPolicy random_policy(Rng& rng) {
  auto pick = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform(); };
  RetryPolicy r;
  r.max_retries = static_cast<int>(rng.uniform() * 5);
  r.backoff_base_s = pick(0.1, 5);
  r.backoff_max_s = pick(r.backoff_base_s, 20);
  r.jitter = std::vector<Jitter>{Jitter::none, Jitter::full, Jitter::equal}[static_cast<std::size_t>(rng.uniform() * 3)];
  if (rng.uniform() < 0.3) r.budget = pick(0, 0.5);
  return r;
}

TEST(RetryPolicyChange, EveryUserFailsExactlyOnceAcrossAChangeAndNoAttemptExceedsTheRetriesAllowed) {
  // Every attempt fails (a broken service). Over a run whose first attempts
  // stop in time for every retry to land, each first attempt ends as one
  // failed user, whatever the policy did in between: retries in flight when
  // it changed arrive and are retried by the new policy's rule only.
  Rng rng(7, "retry-policy-change");
  for (int n = 0; n < 200; ++n) {
    QueueParams p = api();
    p.step_s = std::vector<double>{0.5, 1, 2}[static_cast<std::size_t>(rng.uniform() * 3)];
    p.retry = random_policy(rng);
    p.return_share = 0.5;
    p.return_after_s = std::numeric_limits<double>::infinity();  // counted, never back
    const RetryPolicy changed = random_policy(rng);
    p.retry_columns = std::max(p.retry.max_retries, changed.max_retries);
    const int change_at = static_cast<int>(rng.uniform() * 200);
    const double fresh = 1000;
    QueueState state = QueueState::initial(p);
    double sent = 0, retried = 0;
    const std::string where = fmt::format("case {}", n);
    for (int k = 0; k < 600; ++k) {
      QueueInputs in{.fresh_rps = k < 300 ? fresh : 0.0, .capacity_rps = 1e6, .quality = 0};
      if (k >= change_at) in.retry = changed;
      const QueueOutcome o = queue_outcome(p, state, in, /*with_latency=*/false);
      sent += o.fresh_rps * p.step_s;
      retried += o.retry_rps * p.step_s;
      advance(p, state, in);
    }
    ASSERT_TRUE(state.retries.empty()) << where << " step_s " << p.step_s << " steps " << state.steps << " first due " << (state.retries.empty() ? 0 : state.retries.begin()->first) << " max " << p.retry.max_retries << "->" << changed.max_retries << " at " << change_at << " backoff_max " << p.retry.backoff_max_s << "/" << changed.backoff_max_s;
    // No first attempt made more retries than the more generous policy allows.
    EXPECT_LE(retried, std::max(p.retry.max_retries, changed.max_retries) * sent * (1 + 1e-9)) << where;
    EXPECT_NEAR(state.failed_users, sent, 1e-9 * sent) << where;
    EXPECT_NEAR(state.deferred_users + state.abandoned_users, state.failed_users, 1e-9 * sent) << where;
  }
}

TEST(RetryPolicyChange, ALowerLimitSettlesAtItsOwnAmplification) {
  QueueParams p = api();
  p.retry_columns = 3;
  const QueueInputs before{.fresh_rps = 1000, .capacity_rps = 1e6, .quality = 0};
  QueueState state = QueueState::initial(p);
  for (int k = 0; k < 100; ++k) advance(p, state, before);
  EXPECT_NEAR(queue_outcome(p, state, before).offered_rps, 4000, 1e-6);
  QueueInputs after = before;
  after.retry = RetryPolicy{.max_retries = 1, .backoff_base_s = 1, .backoff_max_s = 8, .jitter = Jitter::full, .budget = {}};
  for (int k = 0; k < 100; ++k) advance(p, state, after);
  EXPECT_NEAR(queue_outcome(p, state, after).offered_rps, 2000, 1e-6);
  // A budget of 10% caps the retries at once, whatever is in flight.
  after.retry->max_retries = 3;
  after.retry->budget = 0.1;
  EXPECT_NEAR(queue_outcome(p, state, after).retry_rps, 100, 1e-6);
}

TEST(RetryPolicyChange, APolicyAllowingMoreRetriesThanTheColumnsKeptIsRefused) {
  const QueueParams p = api();  // retry_columns 0: room for the declared 3 only
  QueueInputs in{.fresh_rps = 1000, .capacity_rps = 1e6};
  in.retry = RetryPolicy{.max_retries = 4, .backoff_base_s = 1, .backoff_max_s = 8, .jitter = Jitter::full, .budget = {}};
  QueueState state = QueueState::initial(p);
  EXPECT_THROW(queue_outcome(p, state, in), std::logic_error);
}

}  // namespace
}  // namespace outagesim::models    ASSERT_TRUE(state.retries.empty()) << where;
