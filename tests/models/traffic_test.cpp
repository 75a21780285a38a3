// The traffic models against cases worked out by hand (docs/models/traffic.md).
#include "models/diurnal_demand.hpp"
#include "models/retry_policy.hpp"
#include "models/service_queue.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

constexpr double step = 1.0;

/// Advances `seconds` under constant inputs; returns the last outcome.
QueueOutcome run_for(const QueueParams& p, QueueState& s, const QueueInputs& in, double seconds) {
  for (double t = 0; t < seconds; t += step) advance(p, s, in);
  return queue_outcome(p, s, in);
}

TEST(ServiceQueue, BelowCapacityNothingIsLostOrQueued) {
  for (double room : {0.0, 30.0}) {
    QueueParams p;
    p.max_wait_s = room;
    p.retry.max_retries = 3;
    QueueState s = QueueState::initial(p);
    const QueueOutcome o = run_for(p, s, {.fresh_rps = 80, .capacity_rps = 100}, 600);
    EXPECT_DOUBLE_EQ(o.availability, 1.0);
    EXPECT_DOUBLE_EQ(o.goodput_rps, 80.0);
    EXPECT_DOUBLE_EQ(o.retry_rps, 0.0);
    EXPECT_DOUBLE_EQ(s.queued, 0.0);
  }
}

TEST(ServiceQueue, AtTwiceCapacityTheServiceServesItsCapacity) {
  QueueParams p;  // no queue, no retries: the excess is refused
  QueueState s = QueueState::initial(p);
  QueueOutcome o = run_for(p, s, {.fresh_rps = 200, .capacity_rps = 100}, 60);
  EXPECT_DOUBLE_EQ(o.served_rps, 100.0);
  EXPECT_DOUBLE_EQ(o.availability, 0.5);

  // With a queue, the service still serves exactly its capacity; the queue
  // grows by the excess, until waits pass the timeout and the work is wasted.
  p.max_wait_s = 3600;
  p.timeout_s = 2;
  s = QueueState::initial(p);
  o = run_for(p, s, {.fresh_rps = 200, .capacity_rps = 100}, 60);
  EXPECT_DOUBLE_EQ(o.served_rps, 100.0);
  EXPECT_NEAR(s.queued, 100.0 * 60, 1e-6);
  // An arrival waits for the queue at the step's start plus half the
  // step's growth: (6,000 + 100 x 0.5) / 100 rps.
  EXPECT_NEAR(o.wait_s, 60.5, 1e-9);
  EXPECT_LT(o.goodput_rps, 0.01 * 200) << "after a minute almost every answer comes too late";
  EXPECT_TRUE(o.overloaded);
}

TEST(ServiceQueue, AmplificationNeverExceedsOnePlusRetries) {
  for (Jitter jitter : {Jitter::none, Jitter::full, Jitter::equal}) {
    QueueParams p;
    p.retry.max_retries = 3;
    p.retry.jitter = jitter;
    QueueState s = QueueState::initial(p);
    double peak = 0;
    for (int t = 0; t < 600; ++t) {
      // Nothing succeeds: every attempt fails, and is retried while it may.
      const QueueInputs in{.fresh_rps = 100, .capacity_rps = 0};
      peak = std::max(peak, queue_outcome(p, s, in).offered_rps / 100);
      advance(p, s, in);
    }
    EXPECT_LE(peak, 4.0 + 1e-9);
    EXPECT_NEAR(peak, 4.0, 1e-6) << "with everything failing, every retry is made";
    EXPECT_NEAR(amplification(0.0, p.retry), 4.0, 1e-12);
  }
}

TEST(ServiceQueue, ARetryBudgetCapsAmplification) {
  QueueParams p;
  p.retry.max_retries = 3;
  p.retry.budget = 0.1;
  QueueState s = QueueState::initial(p);
  double peak = 0;
  for (int t = 0; t < 600; ++t) {
    const QueueInputs in{.fresh_rps = 100, .capacity_rps = 0};
    peak = std::max(peak, queue_outcome(p, s, in).offered_rps / 100);
    advance(p, s, in);
  }
  EXPECT_LE(peak, 1.1 + 1e-9);
  EXPECT_NEAR(amplification(0.0, p.retry), 1.1, 1e-12);
}

TEST(ServiceQueue, RetriesHideTransientFailuresFromUsers) {
  RetryPolicy r;
  r.max_retries = 2;
  // Each attempt fails half the time: a user fails only when all three do.
  EXPECT_DOUBLE_EQ(eventual_success(0.5, r), 1 - 0.125);
  r.budget = 0.25;  // half of the 0.75 retries per request wanted... a third paid
  EXPECT_NEAR(eventual_success(0.5, r), 1 - (0.125 / 3 + 0.5 * 2 / 3), 1e-12);
}

/// 80 rps of first attempts on 100 rps of capacity, 3 retries, a 2 s
/// timeout: stable while the queue is short, but retries can hold it above
/// capacity once waits pass the timeout (100 < 80 x 4).
struct Metastable {
  QueueParams p;
  QueueState s;
  Metastable() {
    p.timeout_s = 2;
    p.max_wait_s = 60;
    p.retry.max_retries = 3;
    p.retry.backoff_base_s = 1;
    s = QueueState::initial(p);
  }
  /// Capacity falls to `left` for `seconds`, comes back, and runs 10 minutes.
  QueueOutcome drop(double left, double seconds) {
    run_for(p, s, {.fresh_rps = 80, .capacity_rps = left}, seconds);
    return run_for(p, s, {.fresh_rps = 80, .capacity_rps = 100}, 600);
  }
};

TEST(ServiceQueue, ALongerDropLeavesTheServiceFailingAfterCapacityReturns) {
  Metastable m;
  const QueueOutcome o = m.drop(50, 60);
  EXPECT_LT(o.availability, 0.5) << "ten minutes after capacity came back";
  EXPECT_GT(o.offered_rps, 100.0) << "retries hold the load above capacity";

  // Dropping the queue and shedding load in steps ends it. Admitting a
  // quarter lets the queue drain and the retries die out; admitting 90%
  // then lets in 80 x 0.9 x (1 + 0.1 + 0.01 + 0.001) = 80 rps, which fits.
  // Going straight back to 100% would re-admit the retries still in flight.
  m.s.queued = 0;
  run_for(m.p, m.s, {.fresh_rps = 80, .capacity_rps = 100, .admit = 0.25}, 60);
  run_for(m.p, m.s, {.fresh_rps = 80, .capacity_rps = 100, .admit = 0.9}, 60);
  const QueueOutcome after = run_for(m.p, m.s, {.fresh_rps = 80, .capacity_rps = 100}, 600);
  EXPECT_DOUBLE_EQ(after.availability, 1.0);
}

TEST(ServiceQueue, AShortDropRecoversOnItsOwn) {
  Metastable m;
  const QueueOutcome o = m.drop(50, 3);
  EXPECT_GT(o.availability, 0.999);
  EXPECT_LT(m.s.queued, 1.0);
}

TEST(ServiceQueue, LeasesLostDuringAnOutageAreReestablishedThroughTheQueue) {
  QueueParams p;
  p.timeout_s = 10;
  p.max_wait_s = 3600;
  p.lease_units = 1000;
  p.lease_s = 60;
  QueueState s = QueueState::initial(p);
  // The dependency is down for two leases: every unit is lost, linearly.
  QueueOutcome o = run_for(p, s, {.capacity_rps = 1000, .dependencies = 0}, 30);
  EXPECT_NEAR(o.lease_share, 0.5, 1e-9);
  o = run_for(p, s, {.capacity_rps = 1000, .dependencies = 0}, 90);
  EXPECT_DOUBLE_EQ(o.lease_share, 0.0);
  // Back: 1000 units re-submit every 10 s = 100 rps on 1000 rps: quick.
  o = run_for(p, s, {.capacity_rps = 1000, .dependencies = 1}, 120);
  EXPECT_GT(o.lease_share, 0.99);
}

TEST(ServiceQueue, TooManyLeasesCollapseTheQueueUntilThrottled) {
  QueueParams p;
  p.timeout_s = 10;
  p.max_wait_s = 3600;
  p.lease_units = 100000;  // 10,000 rps of re-submissions on 1,000 rps
  p.lease_s = 60;
  QueueState s = QueueState::initial(p);
  run_for(p, s, {.capacity_rps = 1000, .dependencies = 0}, 120);
  QueueOutcome o = run_for(p, s, {.capacity_rps = 1000, .dependencies = 1}, 3600);
  EXPECT_LT(o.lease_share, 0.2) << "an hour later, the work done is mostly stale";
  // Throttling to 5% keeps the queue short: 500 rps on 1,000 rps.
  s.queued = 0;
  o = run_for(p, s, {.capacity_rps = 1000, .dependencies = 1, .admit = 0.05}, 3600);
  EXPECT_GT(o.lease_share, 0.99);
}

TEST(ServiceQueue, ARestartDropsItsShareOfQueueAndLeases) {
  QueueParams p;
  p.lease_units = 100;
  QueueState s = QueueState::initial(p);
  s.queued = 40;
  drop_share(p, s, 0.25);
  EXPECT_DOUBLE_EQ(s.queued, 30);
  EXPECT_DOUBLE_EQ(s.held, 75);
  EXPECT_DOUBLE_EQ(s.pending, 25);
}

TEST(ServiceQueue, AttemptsInFlightStayBoundedWhateverTheTimeout) {
  // A year's timeout on an overloaded queue with outstanding work (reloads
  // after restarts): what is refused now is re-sent a year later. Kept as a
  // dense step-by-step list, that was 31.5 million steps of attempts in
  // flight after the first step (gigabytes in a replay).
  QueueParams p;
  p.timeout_s = 365 * 86400.0;
  p.max_wait_s = 10;
  p.retry = {.max_retries = 2, .backoff_base_s = 1, .backoff_max_s = 10, .jitter = Jitter::full, .budget = {}};
  const QueueInputs in{.fresh_rps = 300, .capacity_rps = 100};
  const double window = 2 + p.retry.backoff_max_s / step;  // steps a refusal's retries spread over
  for (double horizon : {600.0, std::numeric_limits<double>::infinity()}) {
    p.horizon_s = horizon;
    QueueState s = QueueState::initial(p);
    s.backlog = 50000;
    for (int t = 0; t < 600; ++t) {
      advance(p, s, in);
      // Within the run, only the refusals' retries (a backoff away) are
      // due; without a horizon, also the refused backlog, a year away.
      const double bound = std::isinf(horizon) ? window + 1 : window;
      ASSERT_LE(static_cast<double>(s.retries.size()), bound) << "after " << t + 1 << " steps";
    }
    EXPECT_GT(queue_outcome(p, s, in).retry_rps, 0.0) << "the refusals are still retried";
    if (std::isinf(horizon)) {
      EXPECT_EQ(s.retries.rbegin()->first, 365 * 86400) << "the backlog, re-sent in a year";
    }
  }
}

TEST(ServiceQueue, LatencyPastTheTimeoutFailsTheShareOfTheSlowedInstances) {
  QueueParams p;
  p.timeout_s = 0.5;
  QueueInputs in{.fresh_rps = 50, .capacity_rps = 100};
  in.added_latency = {{0.25, 1.0}, {0.75, 0.0}};  // a quarter of the capacity answers 1 s late
  const QueueOutcome o = queue_outcome(p, QueueState::initial(p), in);
  EXPECT_DOUBLE_EQ(o.availability, 0.75);
  EXPECT_DOUBLE_EQ(o.latency_p95_s, 0.0) << "only the answers in time count";
  in.added_latency = {{0.25, 0.3}, {0.75, 0.0}};
  const QueueOutcome slow = queue_outcome(p, QueueState::initial(p), in);
  EXPECT_DOUBLE_EQ(slow.availability, 1.0);
  EXPECT_DOUBLE_EQ(slow.latency_p50_s, 0.0);
  EXPECT_DOUBLE_EQ(slow.latency_p95_s, 0.3);
}

/// Returning users: half of those whose request finally fails come back
/// after a mean minute.
QueueParams returning_half() {
  QueueParams p;
  p.return_share = 0.5;
  p.return_after_s = 60;
  return p;
}

TEST(ReturningUsers, NoBacklogWhenNothingFails) {
  QueueParams p = returning_half();
  p.retry.max_retries = 2;
  QueueState s = QueueState::initial(p);
  const QueueOutcome o = run_for(p, s, {.fresh_rps = 80, .capacity_rps = 100}, 3600);
  EXPECT_DOUBLE_EQ(s.waiting, 0.0);
  EXPECT_DOUBLE_EQ(s.failed_users, 0.0);
  EXPECT_DOUBLE_EQ(o.returning_rps, 0.0);
  EXPECT_DOUBLE_EQ(o.offered_rps, 80.0);
}

TEST(ReturningUsers, EveryFailedUserReturnsOrGivesUpAndTheReturnsReachTheirSteadyState) {
  const QueueParams p = returning_half();
  QueueState s = QueueState::initial(p);
  // The dependency fails for an hour: every first attempt fails, fresh or returning.
  const QueueOutcome o = run_for(p, s, {.fresh_rps = 10, .capacity_rps = 1000, .dependencies = 0}, 3600);
  EXPECT_NEAR(s.failed_users, s.deferred_users + s.abandoned_users, 1e-9 * s.failed_users);
  EXPECT_NEAR(s.deferred_users, s.returned_users + s.waiting, 1e-9 * s.deferred_users);
  EXPECT_NEAR(s.deferred_users, s.abandoned_users, 1e-9 * s.failed_users) << "share 50%";
  // Steady state: returns R = share x (fresh + R), so R = 10 x 0.5 / 0.5 =
  // 10 rps; the time constant is 60 s / (1 - 0.5) = 2 minutes, long past.
  EXPECT_NEAR(o.returning_rps, 10.0, 1e-6);
  // The waiting users: a step takes the share 1 - e^(-1/60) of them.
  EXPECT_NEAR(s.waiting, 10.0 / (1 - std::exp(-1.0 / 60)), 1e-4);
}

TEST(ReturningUsers, OnlyAUsersLastFailedAttemptCounts) {
  QueueParams p = returning_half();
  p.retry.max_retries = 2;
  QueueState s = QueueState::initial(p);
  const QueueInputs down{.fresh_rps = 10, .capacity_rps = 1000, .dependencies = 0};
  run_for(p, s, down, 3600);
  const double before = s.failed_users;
  const QueueOutcome o = run_for(p, s, down, 100);
  // 10 fresh + 10 returning users fail per second, each after three attempts.
  EXPECT_NEAR((s.failed_users - before) / 100, 20.0, 1e-3);
  EXPECT_NEAR(o.offered_rps, 60.0, 1e-3);
}

TEST(ReturningUsers, TheFloodAtRecoveryIsTheAccumulatedBacklog) {
  const QueueParams p = returning_half();
  QueueState s = QueueState::initial(p);
  run_for(p, s, {.fresh_rps = 10, .capacity_rps = 1000, .dependencies = 0}, 3600);
  const double backlog = s.waiting, returned = s.returned_users, deferred = s.deferred_users;
  // Working again, with room for everyone: the first step's returns are the
  // share 1 - e^(-1/60) of the backlog, and over the next hour (60 mean
  // delays) the whole backlog comes back, and nobody fails any more.
  const QueueInputs up{.fresh_rps = 10, .capacity_rps = 1000, .dependencies = 1};
  const QueueOutcome first = queue_outcome(p, s, up);
  EXPECT_NEAR(first.returning_rps, backlog * (1 - std::exp(-1.0 / 60)), 1e-9);
  EXPECT_NEAR(first.offered_rps, 10 + first.returning_rps, 1e-9);
  run_for(p, s, up, 3600);
  EXPECT_NEAR(s.returned_users - returned, backlog, 1e-6 * backlog);
  EXPECT_LT(s.waiting, 1e-6 * backlog);
  EXPECT_DOUBLE_EQ(s.deferred_users, deferred);
}

TEST(ReturningUsers, TheFloodTipsAServiceWithHeadroomIntoOverloadAndOnlyWithThem) {
  // Twice the capacity of the fresh load; clients time out after 10 s and
  // retry twice. Its dependency fails for two hours, then works again.
  for (double share : {0.0, 0.9}) {
    QueueParams p;
    p.max_wait_s = 60;
    p.timeout_s = 10;
    p.retry.max_retries = 2;
    p.return_share = share;
    p.return_after_s = 600;
    QueueState s = QueueState::initial(p);
    run_for(p, s, {.fresh_rps = 50, .capacity_rps = 100, .dependencies = 0}, 7200);
    // Returns after two hours: 50 x 0.9 / 0.1 = 450 rps at steady state, times
    // 1 - e^(-7200 / 6000) = 70% of the way there: about 310 rps on 100.
    const QueueOutcome o = run_for(p, s, {.fresh_rps = 50, .capacity_rps = 100, .dependencies = 1}, 3600);
    if (share == 0) {
      EXPECT_FALSE(o.overloaded);
      EXPECT_DOUBLE_EQ(o.availability, 1.0);
    } else {
      EXPECT_TRUE(o.overloaded) << "an hour after the dependency came back";
      EXPECT_LT(o.availability, 0.05);
      EXPECT_GT(o.returning_rps, 50.0) << "failed users keep coming back";
      // Ten times the capacity ends it: the queue drains and the returns die out.
      const QueueOutcome scaled = run_for(p, s, {.fresh_rps = 50, .capacity_rps = 1000, .dependencies = 1}, 3600);
      EXPECT_FALSE(scaled.overloaded);
      EXPECT_DOUBLE_EQ(scaled.availability, 1.0);
    }
  }
}

TEST(RetryPolicy, BackoffDoublesUpToItsMaximumAndJitterSpreadsIt) {
  RetryPolicy r{.max_retries = 5, .backoff_base_s = 1, .backoff_max_s = 5, .jitter = Jitter::none, .budget = {}};
  EXPECT_DOUBLE_EQ(retry_delay(r, 1).hi_s, 1);
  EXPECT_DOUBLE_EQ(retry_delay(r, 3).hi_s, 4);
  EXPECT_DOUBLE_EQ(retry_delay(r, 4).lo_s, 5);
  r.jitter = Jitter::equal;
  EXPECT_DOUBLE_EQ(retry_delay(r, 3).lo_s, 2);
  r.jitter = Jitter::full;
  EXPECT_DOUBLE_EQ(retry_delay(r, 3).lo_s, 0);

  const auto spread = spread_over_steps({0, 4}, 1);
  EXPECT_EQ(spread.first, 1);
  ASSERT_EQ(spread.shares.size(), 4U);
  for (double share : spread.shares) EXPECT_DOUBLE_EQ(share, 0.25);
  const auto exact = spread_over_steps({2.5, 2.5}, 1);
  EXPECT_EQ(exact.first, 3);
  ASSERT_EQ(exact.shares.size(), 1U);
  EXPECT_DOUBLE_EQ(exact.shares[0], 1.0);
  const auto uneven = spread_over_steps({0.5, 2}, 1);
  EXPECT_NEAR(std::accumulate(uneven.shares.begin(), uneven.shares.end(), 0.0), 1.0, 1e-12);
  EXPECT_EQ(uneven.first, 1);
  EXPECT_NEAR(uneven.shares[0], 1.0 / 3, 1e-12);
  // A window a year away lists only the steps it covers.
  const auto far = spread_over_steps({365 * 86400.0, 365 * 86400.0 + 4}, 1);
  EXPECT_EQ(far.first, 365 * 86400);
  EXPECT_EQ(far.shares.size(), 5U);
}

TEST(DiurnalDemand, MeanOneOverADayWithThePeakAtItsLocalHour) {
  const DiurnalCurve curve{.peak_to_trough = 3, .peak_hour = 20};
  const std::vector<ClientRegionLoad> utc{{1, 0}};
  double sum = 0;
  for (int m = 0; m < 24 * 60; ++m) sum += demand_factor(curve, utc, m * 60.0);
  EXPECT_NEAR(sum / (24 * 60), 1.0, 1e-9);
  EXPECT_NEAR(demand_factor(curve, utc, 20 * 3600.0) / demand_factor(curve, utc, 8 * 3600.0), 3.0, 1e-9);
  // A region at UTC-5 peaks at 20:00 local = 01:00 UTC.
  const std::vector<ClientRegionLoad> east{{1, -5 * 3600.0}};
  EXPECT_NEAR(demand_factor(curve, east, 25 * 3600.0), 1.5, 1e-9);
  // Two regions twelve hours apart cancel out: flat.
  const std::vector<ClientRegionLoad> opposite{{0.5, 0}, {0.5, 12 * 3600.0}};
  EXPECT_NEAR(demand_factor(curve, opposite, 7 * 3600.0), 1.0, 1e-9);
}

TEST(DiurnalDemand, RequestSharesFollowEachRegionsTimeOfDay) {
  // Peak three times the trough (1.5 and 0.5 around the mean): at 20:00 UTC
  // the region on UTC is at its peak, the one on UTC+12h at its trough.
  const DiurnalCurve curve{.peak_to_trough = 3, .peak_hour = 20};
  const std::vector<ClientRegionLoad> regions{{0.5, 0}, {0.5, 12 * 3600.0}};
  const auto shares = request_shares(curve, regions, 20 * 3600.0);
  ASSERT_EQ(shares.size(), 2U);
  EXPECT_NEAR(shares[0], 0.75, 1e-12);
  EXPECT_NEAR(shares[1], 0.25, 1e-12);
  // Flat demand: the user shares themselves.
  const auto flat = request_shares(DiurnalCurve{}, std::vector<ClientRegionLoad>{{0.6, 0}, {0.4, 8 * 3600.0}}, 1234);
  EXPECT_DOUBLE_EQ(flat[0], 0.6);
  EXPECT_DOUBLE_EQ(flat[1], 0.4);
}

}  // namespace
}  // namespace outagesim::models
