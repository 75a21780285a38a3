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

// --- one population per client region --------------------------------------------

TEST(DnsCache, MixWeighsEachRegionsClients) {
  const CachedAnswers a{{{primary, 1.0}}, 0.0};
  const CachedAnswers b{{{empty, 0.25}, {primary, 0.25}}, 0.5};
  const std::vector<CachedAnswers> parts{a, b};
  const std::vector<double> weights{0.7, 0.3};
  const auto m = mix(parts, weights);
  ASSERT_EQ(m.shares.size(), 2u);
  EXPECT_EQ(m.shares[0].first, primary);  // order of first appearance
  EXPECT_NEAR(m.share_of(primary), 0.7 + 0.3 * 0.25, 1e-12);
  EXPECT_NEAR(m.share_of(empty), 0.3 * 0.25, 1e-12);
  EXPECT_NEAR(m.unresolved, 0.3 * 0.5, 1e-12);
  EXPECT_NEAR(total(m), 1.0, 1e-12);
}

TEST(DnsCache, ARegionCutOffFailsExactlyWhenItsStaleWindowEnds) {
  // Two regions' resolvers over the same record: one cut off from the
  // authority at 1000 (to the end), the other never. TTL 60 s, stale 600 s:
  // the cut-off region's answers expire over [1000, 1060), each fails 600 s
  // after it expired.
  const std::vector<AnswerSpan> history{{-inf, primary}};
  const std::vector<Unreachable> cut{{1000, inf}};
  for (double t : {1000.0, 1300.0, 1600.0})
    EXPECT_DOUBLE_EQ(cached_answers(history, cut, 60, 600, t).unresolved, 0.0) << t;
  EXPECT_NEAR(cached_answers(history, cut, 60, 600, 1615).unresolved, 0.25, 1e-12);
  EXPECT_NEAR(cached_answers(history, cut, 60, 600, 1660).unresolved, 1.0, 1e-12);
  EXPECT_NEAR(cached_answers(history, {}, 60, 600, 1660).share_of(primary), 1.0, 1e-12);
  const std::vector<CachedAnswers> regions{cached_answers(history, cut, 60, 600, 1630),
                                           cached_answers(history, {}, 60, 600, 1630)};
  const std::vector<double> shares{0.2, 0.8};
  EXPECT_NEAR(mix(regions, shares).unresolved, 0.2 * 0.5, 1e-12);
}

TEST(DnsCache, AFixReachesEachRegionAsItsCachesRefresh) {
  // Emptied at 0, fixed at 1000 (TTL 60 s). One region refreshes freely and
  // holds the fix by 1060; the other is cut off over [990, 1200) and keeps
  // the empty answer until it can refresh, then every client takes the fix
  // at once; no region is on the fix later than max(fix, reconnection) + TTL.
  const std::vector<AnswerSpan> history{{-inf, primary}, {0, empty}, {1000, secondary}};
  const std::vector<Unreachable> cut{{990, 1200}};
  EXPECT_NEAR(cached_answers(history, {}, 60, 3600, 1030).share_of(secondary), 0.5, 1e-12);
  EXPECT_NEAR(cached_answers(history, {}, 60, 3600, 1060).share_of(secondary), 1.0, 1e-12);
  EXPECT_NEAR(cached_answers(history, cut, 60, 3600, 1030).share_of(empty), 1.0, 1e-12);
  EXPECT_NEAR(cached_answers(history, cut, 60, 3600, 1199).share_of(empty), 1.0, 1e-12);
  EXPECT_NEAR(cached_answers(history, cut, 60, 3600, 1200).share_of(secondary), 1.0, 1e-12);
}

}  // namespace
}  // namespace outagesim::models
