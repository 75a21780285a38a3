// The resolver-cache fluid: the general integral must reduce to the closed
// forms of docs/models/dns.md in the cases they cover, and stay a partition
// of the clients (shares plus unresolved sum to 1) in every case.
#include "models/dns_cache.hpp"

#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr int primary = 0, secondary = 1, empty = -1;

double total(const CachedAnswers& c) {
  double sum = c.unresolved;
  for (const auto& [answer, share] : c.shares) sum += share;
  return sum;
}

TEST(DnsCache, ClosedForms) {
  EXPECT_DOUBLE_EQ(previous_answer_share(0, 300), 1.0);
  EXPECT_DOUBLE_EQ(previous_answer_share(75, 300), 0.75);
  EXPECT_DOUBLE_EQ(previous_answer_share(300, 300), 0.0);
  EXPECT_DOUBLE_EQ(previous_answer_share(900, 300), 0.0);
  EXPECT_DOUBLE_EQ(previous_answer_share(-5, 300), 1.0);
  EXPECT_DOUBLE_EQ(unresolved_share(100, 60, 0), 1.0);
  EXPECT_DOUBLE_EQ(unresolved_share(30, 60, 0), 0.5);
  EXPECT_DOUBLE_EQ(unresolved_share(500, 60, 600), 0.0);
  EXPECT_DOUBLE_EQ(unresolved_share(630, 60, 600), 0.5);
}

TEST(DnsCache, SteadyStateEveryoneHoldsTheAnswer) {
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const auto c = cached_answers(history, {}, 60, 0, 1234);
  ASSERT_EQ(c.shares.size(), 1u);
  EXPECT_DOUBLE_EQ(c.share_of(primary), 1.0);
  EXPECT_DOUBLE_EQ(c.unresolved, 0.0);
}

TEST(DnsCache, AChangeReachesClientsLinearlyOverOneTtl) {
  // Emptied at 1000 s, restored at 2800 s, TTL 300 s.
  const std::vector<AnswerSpan> history{{-inf, primary}, {1000, empty}, {2800, primary}};
  for (double t : {1000.0, 1010.0, 1150.0, 1299.0, 1300.0, 2000.0, 2800.0, 2900.0, 3099.5, 3100.0, 5000.0}) {
    const auto c = cached_answers(history, {}, 300, 0, t);
    const double on_empty = t < 2800 ? 1 - previous_answer_share(t - 1000, 300) : previous_answer_share(t - 2800, 300);
    EXPECT_NEAR(c.share_of(empty), on_empty, 1e-12) << t;
    EXPECT_NEAR(c.share_of(primary), 1 - on_empty, 1e-12) << t;
    EXPECT_NEAR(total(c), 1.0, 1e-12) << t;
  }
}

TEST(DnsCache, ChangesCloserThanOneTtlOverlap) {
  // primary -> secondary at 0, -> empty at 30, TTL 60: at 45 s the clients
  // refreshed in (-15, 0) hold primary, (0, 30) secondary, (30, 45) empty.
  const std::vector<AnswerSpan> history{{-inf, primary}, {0, secondary}, {30, empty}};
  const auto c = cached_answers(history, {}, 60, 0, 45);
  EXPECT_NEAR(c.share_of(primary), 15.0 / 60, 1e-12);
  EXPECT_NEAR(c.share_of(secondary), 30.0 / 60, 1e-12);
  EXPECT_NEAR(c.share_of(empty), 15.0 / 60, 1e-12);
}

TEST(DnsCache, AnOutageWithoutServeStaleFailsClientsAsTheirAnswersExpire) {
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<Unreachable> down{{1000, inf}};
  for (double t : {1000.0, 1020.0, 1045.0, 1060.0, 2000.0}) {
    const auto c = cached_answers(history, down, 60, 0, t);
    EXPECT_NEAR(c.unresolved, unresolved_share(t - 1000, 60, 0), 1e-12) << t;
    EXPECT_NEAR(c.share_of(primary), 1 - c.unresolved, 1e-12) << t;
  }
}

TEST(DnsCache, ServeStaleHidesAnOutageShorterThanTheStaleWindow) {
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<Unreachable> down{{1000, inf}};
  for (double t : {1000.0, 1300.0, 1600.0})  // 10 minutes of stale answers
    EXPECT_DOUBLE_EQ(cached_answers(history, down, 60, 600, t).unresolved, 0.0) << t;
  for (double t : {1615.0, 1630.0, 1660.0, 3000.0})
    EXPECT_NEAR(cached_answers(history, down, 60, 600, t).unresolved, unresolved_share(t - 1000, 60, 600), 1e-12)
        << t;
}

TEST(DnsCache, ClientsRecoverWhenTheAuthorityIsBack) {
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<Unreachable> down{{1000, 1200}};
  for (double t : {1200.0, 1230.0, 5000.0}) {
    const auto c = cached_answers(history, down, 60, 0, t);
    EXPECT_DOUBLE_EQ(c.unresolved, 0.0) << t;
    EXPECT_NEAR(c.share_of(primary), 1.0, 1e-12) << t;
  }
}

TEST(DnsCache, StaleClientsKeepTheAnswerTheyHadAndRefreshToTheNewOne) {
  // Failed over at 990 (TTL 60), then the authority is unreachable from 1000
  // to 1100 with an hour of serve-stale: at 1050 the clients refreshed in
  // (990, 1000) hold secondary; those due in [1000, 1050) serve what they
  // fetched one TTL earlier; at 1100 everyone due in the outage refreshes.
  const std::vector<AnswerSpan> history{{-inf, primary}, {990, secondary}};
  const std::vector<Unreachable> down{{1000, 1100}};
  const auto during = cached_answers(history, down, 60, 3600, 1050);
  EXPECT_DOUBLE_EQ(during.unresolved, 0.0);
  // Due in [1000, 1050]: fetched one TTL earlier, before the failover.
  EXPECT_NEAR(during.share_of(primary), 50.0 / 60, 1e-12);
  EXPECT_NEAR(during.share_of(secondary), 10.0 / 60, 1e-12);
  const auto after = cached_answers(history, down, 60, 3600, 1100);
  EXPECT_NEAR(after.share_of(secondary), 1.0, 1e-12);
}

TEST(DnsCache, AnOutageLongerThanTheTtlServesTheLastGoodAnswer) {
  const std::vector<AnswerSpan> history{{-inf, primary}, {500, secondary}};
  const std::vector<Unreachable> down{{1000, inf}};
  const auto c = cached_answers(history, down, 60, 86400, 5000);
  EXPECT_NEAR(c.share_of(secondary), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(c.unresolved, 0.0);
}

TEST(DnsCache, EmptyAnswersAreHeldLikeAnyOther) {
  // An empty record is a valid answer: during an outage resolvers serve it
  // stale too, and it keeps failing the clients that hold it.
  const std::vector<AnswerSpan> history{{-inf, primary}, {1000, empty}};
  const std::vector<Unreachable> down{{1100, inf}};
  const auto c = cached_answers(history, down, 60, 3600, 1200);
  EXPECT_NEAR(c.share_of(empty), 1.0, 1e-12);
}

TEST(DnsCache, SharesAlwaysPartitionTheClients) {
  const std::vector<AnswerSpan> history{{-inf, primary}, {100, empty}, {130, secondary}, {500, primary}};
  const std::vector<Unreachable> down{{120, 150}, {400, 700}, {900, inf}};
  for (double t = 0; t < 1200; t += 7.3)
    for (double stale : {0.0, 20.0, 90.0}) EXPECT_NEAR(total(cached_answers(history, down, 45, stale, t)), 1.0, 1e-12);
}

}  // namespace
}  // namespace outagesim::models
