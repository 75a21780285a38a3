// DNS authorities under query load (docs/models/dns.md, "Authorities under
// query load"): the refresh query rate the resolvers bring, and what the
// clients hold when the authority answers only part of the refreshes. The
// binary model must be the special case: an answered share of 1 changes
// nothing, and a share of 0 is an unreachable authority, exactly.
#include "models/dns_cache.hpp"
#include "models/retry_policy.hpp"
#include "models/service_queue.hpp"

#include <cmath>

#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr int primary = 0, secondary = 1;

double total(const CachedAnswers& c) {
  double sum = c.unresolved;
  for (const auto& [answer, share] : c.shares) sum += share;
  return sum;
}

void expect_same(const CachedAnswers& a, const CachedAnswers& b, double t) {
  EXPECT_NEAR(a.unresolved, b.unresolved, 1e-12) << t;
  for (int answer : {primary, secondary, -1}) EXPECT_NEAR(a.share_of(answer), b.share_of(answer), 1e-12) << t;
}

TEST(DnsQueryLoad, RefreshRateIsResolversOverTtlBoundedByTheRequests) {
  EXPECT_DOUBLE_EQ(refresh_query_rps(60'000, 300, 1e6), 200.0);
  EXPECT_DOUBLE_EQ(refresh_query_rps(60'000, 30, 1e6), 2000.0);  // a tenth of the TTL, ten times the load
  EXPECT_DOUBLE_EQ(refresh_query_rps(60'000, 30, 500), 500.0);   // no more refreshes than questions
}

TEST(DnsQueryLoad, ALongerTtlNeverRaisesTheQueryRate) {
  for (double resolvers : {1.0, 1e3, 1e6})
    for (double requests : {10.0, 1e4, 1e7}) {
      double previous = inf;
      for (double ttl = 1; ttl <= 86400; ttl *= 1.7) {
        const double rate = refresh_query_rps(resolvers, ttl, requests);
        EXPECT_LE(rate, previous) << resolvers << " " << requests << " " << ttl;
        EXPECT_LE(rate, requests);
        previous = rate;
      }
    }
}

TEST(DnsQueryLoad, AnsweredShareOneIsTheOldModelAndZeroIsUnreachable) {
  const std::vector<AnswerSpan> history{{-inf, primary}, {1030, secondary}};
  const std::vector<Unreachable> none;
  const std::vector<Unreachable> down{{1000, 1400}};
  const std::vector<PartlyAnswered> all_answered{{1000, 1400, 1.0, -1}};
  const std::vector<PartlyAnswered> nothing_answered{{1000, 1400, 0.0, -1}};
  for (double stale : {0.0, 120.0})
    for (double t = 900; t < 1600; t += 11.5) {
      expect_same(cached_answers(history, none, all_answered, 60, stale, t), cached_answers(history, none, 60, stale, t),
                  t);
      expect_same(cached_answers(history, none, nothing_answered, 60, stale, t),
                  cached_answers(history, down, 60, stale, t), t);
      expect_same(cached_answers(history, none, std::vector<PartlyAnswered>{}, 60, stale, t),
                  cached_answers(history, none, 60, stale, t), t);
    }
}

TEST(DnsQueryLoad, APartlyAnsweringAuthorityFailsThatShareOfExpiringAnswers) {
  // 70% answered from 1000 on, TTL 60 s, no serve-stale: 30% of the
  // resolvers fail as their answers expire, over one TTL, and stay failed.
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<PartlyAnswered> partly{{1000, inf, 0.7, -1}};
  for (double t : {1000.0, 1015.0, 1030.0, 1060.0, 2000.0}) {
    const auto c = cached_answers(history, {}, partly, 60, 0, t);
    EXPECT_NEAR(c.unresolved, 0.3 * unresolved_share(t - 1000, 60, 0), 1e-12) << t;
    EXPECT_NEAR(total(c), 1.0, 1e-12) << t;
  }
  // With 10 minutes of serve-stale, nobody fails before +10 min.
  EXPECT_DOUBLE_EQ(cached_answers(history, {}, partly, 60, 600, 1590).unresolved, 0.0);
  EXPECT_NEAR(cached_answers(history, {}, partly, 60, 600, 1630).unresolved, 0.3 * 0.5, 1e-12);
}

TEST(DnsQueryLoad, TheSameResolversMissWhileTheShareChanges) {
  // 80% then 50% answered: the resolvers missing the first span miss the
  // second too (one outage for them, no refresh at the change), and 30%
  // more start missing at the change.
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<PartlyAnswered> partly{{1000, 1300, 0.8, -1}, {1300, inf, 0.5, -1}};
  const auto c = cached_answers(history, {}, partly, 60, 0, 1330);
  EXPECT_NEAR(c.unresolved, 0.2 * 1.0 + 0.3 * 0.5, 1e-12);
}

TEST(DnsQueryLoad, MoreAnsweredNeverLowersResolutionSuccess) {
  // Property: raising the answered share of any span (more capacity at the
  // authority) never raises the unresolved share, at any time.
  const std::vector<AnswerSpan> history{{-inf, primary}, {1100, secondary}};
  const std::vector<Unreachable> down{{1500, 1560}};
  for (double stale : {0.0, 45.0, 200.0})
    for (double t = 950; t < 1900; t += 13.7) {
      double previous = 2;
      for (double a = 0; a <= 1.0001; a += 0.1) {
        const std::vector<PartlyAnswered> partly{{1000, 1200, a, -1}, {1200, 1500, std::min(1.0, a + 0.2), -1}};
        const auto c = cached_answers(history, down, partly, 60, stale, t);
        EXPECT_LE(c.unresolved, previous + 1e-12) << t << " " << a;
        EXPECT_NEAR(total(c), 1.0, 1e-12);
        previous = c.unresolved;
      }
    }
}

TEST(DnsQueryLoad, ResolverRetriesRescueRefreshesLostByChance) {
  // Moura et al. (IMC 2018): with retries, almost all clients tolerate 50%
  // query loss. Four attempts at 50% each leave 1/16 of refreshes unanswered.
  RetryPolicy resolver;
  resolver.max_retries = 3;
  EXPECT_NEAR(eventual_success(0.5, resolver), 1 - 0.0625, 1e-12);
  // ...at the price of more queries: each refresh costs 1 + 0.5 + 0.25 + 0.125 attempts.
  EXPECT_NEAR(amplification(0.5, resolver), 1.875, 1e-12);
}

/// The resolvers' refreshes through an authority without a queue, which
/// drops what exceeds its capacity, with Unbound's 5 retries; settled.
QueueOutcome settled(double refreshes_rps, double capacity_rps) {
  QueueParams p;
  p.retry.max_retries = 5;
  p.retry.backoff_base_s = 1;
  p.retry.backoff_max_s = 4;
  QueueState state = QueueState::initial(p);
  QueueInputs in;
  in.fresh_rps = refreshes_rps;
  in.capacity_rps = capacity_rps;
  for (int step = 0; step < 600; ++step) advance(p, state, in);
  return queue_outcome(p, state, in, /*with_latency=*/false);
}

TEST(DnsQueryLoad, RefreshesAreConservedThroughTheResolversRetries) {
  // 6,000 refreshes/s on 3,000 queries/s: answered + given up = refreshes,
  // and every query offered is a refresh or a retry.
  const auto o = settled(6000, 3000);
  EXPECT_NEAR(o.goodput_rps, 3000, 1e-6);
  EXPECT_NEAR(o.availability * 6000, o.goodput_rps, 0.005 * 3000);  // answered refreshes = the work answered
  EXPECT_NEAR(o.offered_rps, o.fresh_rps + o.retry_rps, 1e-9);
  const double given_up = 6000 * (1 - o.availability);
  EXPECT_NEAR(o.retry_rps + given_up, o.offered_rps - o.goodput_rps, 0.01 * o.offered_rps);
  // The storm's fixed point: O = F (1 + q + ... + q^5), q = 1 - C / O.
  double storm = 6000;
  for (int k = 0; k < 500; ++k) {
    const double q = 1 - 3000 / storm;
    storm = 6000 * (1 + q + q * q + std::pow(q, 3) + std::pow(q, 4) + std::pow(q, 5));
  }
  EXPECT_NEAR(o.offered_rps, storm, 0.02 * storm);
}

TEST(DnsQueryLoad, MoreCapacityNeverLowersTheAnsweredShare) {
  double previous = -1;
  for (double capacity = 500; capacity <= 8000; capacity += 500) {
    const double answered = settled(6000, capacity).availability;
    EXPECT_GE(answered, previous - 1e-9) << capacity;
    previous = answered;
  }
  EXPECT_DOUBLE_EQ(previous, 1.0);
}

}  // namespace
}  // namespace outagesim::models
