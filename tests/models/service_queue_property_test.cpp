// Invariants of the queue model over random services, loads and capacity
// changes (docs/models/traffic.md), with fixed seeds:
// - a wait never exceeds the queue's max_wait;
// - goodput never exceeds the work served, nor that the capacity;
// - users served (first attempts x availability) never exceed goodput plus
//   the in-time work the queue takes on beyond what it answers;
// - more capacity never makes a queue worse: the same run with the capacity
//   raised at a random instant has, at every step from then on, served at
//   least as many users and done at least as much useful work (goodput)
//   since the raise, and at the end, once settled, is no worse at all.
//   (Not at every single step: room that opens at once admits a burst that
//   would have been refused, and its retries come back a timeout later
//   instead of a backoff later, so one step's comparison can go either way.)
#include "models/rng.hpp"
#include "models/service_queue.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

/// Relative slack for the comparisons: the two runs take different
/// floating-point paths to equal values.
constexpr double slack = 1e-9;

/// One random case: a service, its load, a capacity profile (a loss and
/// its end, which can tip it into a metastable overload) and a raise.
struct Case {
  QueueParams params;
  double fresh_rps = 0;
  double capacity_rps = 0;
  double loss_from_s = 0, loss_to_s = 0, loss_left = 1;  ///< capacity factor during the loss
  double crash_at_s = -1, crash_share = 0;               ///< instances that go down (drop their queue)
  double raise_at_s = 0, raise = 1;                      ///< capacity factor from raise_at_s on, in the raised run
  double quality = 1;
  double admit = 1;
  double duration_s = 0;

  explicit Case(Rng& rng) {
    auto pick = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform(); };
    params.step_s = std::vector<double>{0.5, 1, 2, 5}[static_cast<std::size_t>(rng.uniform() * 4)];
    params.max_wait_s = rng.uniform() < 0.2 ? 0.0 : pick(0.5, 60);
    params.timeout_s = pick(0.5, 30);
    params.retry.max_retries = static_cast<int>(rng.uniform() * 5);
    params.retry.backoff_base_s = pick(0.1, 5);
    params.retry.backoff_max_s = pick(params.retry.backoff_base_s, 30);
    params.retry.jitter = std::vector<Jitter>{Jitter::none, Jitter::full, Jitter::equal}[static_cast<std::size_t>(rng.uniform() * 3)];
    if (rng.uniform() < 0.25) params.retry.budget = pick(0, 0.5);
    capacity_rps = pick(10, 10000);
    fresh_rps = capacity_rps * pick(0.3, 2.0);
    loss_from_s = pick(0, 300);
    loss_to_s = loss_from_s + pick(0, 300);
    loss_left = pick(0, 1);
    if (rng.uniform() < 0.3) {
      crash_at_s = pick(0, 600);
      crash_share = pick(0, 1);
    }
    raise_at_s = pick(0, 900);
    raise = 1 + pick(0.001, 1);
    if (rng.uniform() < 0.3) quality = pick(0.5, 1);
    if (rng.uniform() < 0.2) admit = pick(0.1, 1);
    duration_s = 1200;
  }

  QueueInputs inputs(double t, bool raised) const {
    double capacity = capacity_rps;
    if (t >= loss_from_s && t < loss_to_s) capacity *= loss_left;
    if (crash_at_s >= 0 && t >= crash_at_s) capacity *= 1 - crash_share;
    if (raised && t >= raise_at_s) capacity *= raise;
    return {.fresh_rps = fresh_rps, .capacity_rps = capacity, .quality = quality, .admit = admit};
  }
};

/// Every outcome of one run, step by step.
std::vector<QueueOutcome> play(const Case& c, bool raised) {
  QueueState state = QueueState::initial(c.params);
  std::vector<QueueOutcome> outcomes;
  bool crashed = false;
  for (double t = 0; t < c.duration_s; t += c.params.step_s) {
    if (c.crash_at_s >= 0 && t >= c.crash_at_s && !crashed) {
      drop_share(c.params, state, c.crash_share);
      crashed = true;
    }
    const QueueInputs in = c.inputs(t, raised);
    outcomes.push_back(queue_outcome(c.params, state, in, /*with_latency=*/false));
    advance(c.params, state, in);
  }
  return outcomes;
}

TEST(ServiceQueueProperty, WaitsStayWithinMaxWaitAndGoodputWithinWhatIsServed) {
  Rng rng(12, "service-queue-property-bounds");
  for (int n = 0; n < 300; ++n) {
    const Case c(rng);
    for (bool raised : {false, true}) {
      const auto outcomes = play(c, raised);
      for (std::size_t k = 0; k < outcomes.size(); ++k) {
        const auto& o = outcomes[k];
        const double capacity = c.inputs(static_cast<double>(k) * c.params.step_s, raised).capacity_rps;
        const std::string where = fmt::format("case {} raised {} step {}", n, raised, k);
        ASSERT_LE(o.wait_s, c.params.max_wait_s * (1 + slack)) << where;
        ASSERT_LE(o.served_rps, capacity * (1 + slack)) << where;
        ASSERT_LE(o.goodput_rps, o.served_rps * (1 + slack)) << where;
        ASSERT_GE(o.goodput_rps, 0.0) << where;
        // Users served (first attempts times availability) never exceed the
        // useful work answered now plus the in-time work the queue takes on
        // beyond what it answers (answered later): availability is counted
        // as attempts succeed, never ahead of them.
        const double first = o.fresh_rps + o.returning_rps;
        const double growth = std::max(0.0, o.admitted_rps - o.served_rps) * o.in_time * c.quality;
        ASSERT_LE(o.availability * first, (o.goodput_rps + growth) * (1 + slack) + 1e-9) << where;
      }
    }
  }
}

TEST(ServiceQueueProperty, MoreCapacityNeverMakesAQueueWorse) {
  Rng rng(12, "service-queue-property-more-capacity");
  for (int n = 0; n < 300; ++n) {
    const Case c(rng);
    const auto without = play(c, false);
    const auto with = play(c, true);
    // Summed from the raise on: users served (first attempts times their
    // availability; the same first attempts in both runs) and useful work.
    double users_without = 0, users_with = 0, useful_without = 0, useful_with = 0;
    for (std::size_t k = 0; k < without.size(); ++k) {
      if (static_cast<double>(k) * c.params.step_s < c.raise_at_s) continue;
      const std::string where = fmt::format("case {} step {} (raised x{} at {} s)", n, k, c.raise, c.raise_at_s);
      users_without += without[k].availability;
      users_with += with[k].availability;
      useful_without += without[k].goodput_rps;
      useful_with += with[k].goodput_rps;
      ASSERT_GE(users_with, users_without * (1 - slack)) << where;
      ASSERT_GE(useful_with, useful_without * (1 - slack)) << where;
    }
    // Once the raised run has settled, it is no worse at any instant.
    ASSERT_GE(with.back().availability, without.back().availability - slack) << "case " << n;
    ASSERT_GE(with.back().goodput_rps, without.back().goodput_rps * (1 - slack)) << "case " << n;
  }
}

TEST(ServiceQueueProperty, BoundedClientsNeverHoldMoreThanTheirPools) {
  Rng rng(12, "service-queue-property-bounded-clients");
  for (int n = 0; n < 300; ++n) {
    Case c(rng);
    c.params.client_concurrency = c.capacity_rps * (0.1 + 5 * rng.uniform());
    QueueState state = QueueState::initial(c.params);
    for (double t = 0; t < c.duration_s; t += c.params.step_s) {
      const QueueInputs in = c.inputs(t, false);
      const QueueOutcome o = queue_outcome(c.params, state, in, /*with_latency=*/false);
      // Little's law for the clients: the attempts sent over a step, each
      // held for the wait ahead of it or the timeout, fit in the pools.
      const double capacity = in.capacity_rps;
      const double ahead = capacity > 0 ? std::min(state.queued, capacity * c.params.max_wait_s) / capacity : 0.0;
      ASSERT_LE(o.admitted_rps * std::min(ahead, c.params.timeout_s), c.params.client_concurrency * (1 + slack))
          << "case " << n << " t " << t;
      advance(c.params, state, in);
    }
  }
}

TEST(ServiceQueueProperty, AnOverloadWithBoundedClientsSettlesAtTheirPools) {
  // Little's law: with more offered than served, the queue holds what the
  // pools let through, N requests, and waits N / capacity, when that is
  // within the timeout and the queue's room.
  QueueParams p;
  p.max_wait_s = 30;
  p.timeout_s = 2;
  p.retry.max_retries = 3;
  p.client_concurrency = 120e3;
  QueueState state = QueueState::initial(p);
  const QueueInputs in{.fresh_rps = 80e3, .capacity_rps = 75e3};
  for (int k = 0; k < 600; ++k) advance(p, state, in);
  const QueueOutcome o = queue_outcome(p, state, in);
  EXPECT_NEAR(state.queued, p.client_concurrency, 1e-3 * p.client_concurrency);
  EXPECT_NEAR(o.wait_s, p.client_concurrency / in.capacity_rps, 0.01);
  EXPECT_NEAR(o.served_rps, in.capacity_rps, 1e-6 * in.capacity_rps);
  // The same overload without the limit fills the queue to its room.
  p.client_concurrency = 0;
  QueueState open = QueueState::initial(p);
  for (int k = 0; k < 600; ++k) advance(p, open, in);
  EXPECT_NEAR(queue_outcome(p, open, in).wait_s, p.max_wait_s, 1e-6);
}

}  // namespace
}  // namespace outagesim::models
