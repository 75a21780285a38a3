// Anycast routing with spill-over (docs/models/routing.md): cases worked out
// by hand, and the invariants on random inputs.
#include "models/anycast_routing.hpp"
#include "models/rng.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

constexpr double ms = 1e-3;

TEST(AnycastRouting, EverythingGoesToTheNearestRegionWhileItHasRoom) {
  // One client region; serving regions at 30, 10 and 20 ms.
  const std::vector<double> latency{30 * ms, 10 * ms, 20 * ms};
  const AnycastRouting r = route_anycast(std::vector<double>{40}, std::vector<double>{100, 50, 30}, latency);
  EXPECT_DOUBLE_EQ(r.served(0, 1), 40);
  EXPECT_DOUBLE_EQ(r.served(0, 0), 0);
  EXPECT_DOUBLE_EQ(r.served(0, 2), 0);
  EXPECT_DOUBLE_EQ(r.unserved_rps[0], 0);
  EXPECT_DOUBLE_EQ(r.latency_p50_s, 10 * ms);
  EXPECT_DOUBLE_EQ(r.latency_p95_s, 10 * ms);
  EXPECT_DOUBLE_EQ(r.mean_latency_s, 10 * ms);
}

TEST(AnycastRouting, TheExcessSpillsInOrderOfLatency) {
  const std::vector<double> latency{30 * ms, 10 * ms, 20 * ms};
  const std::vector<double> capacity{100, 50, 30};
  const AnycastRouting some = route_anycast(std::vector<double>{120}, capacity, latency);
  EXPECT_DOUBLE_EQ(some.served(0, 1), 50);  // nearest, full
  EXPECT_DOUBLE_EQ(some.served(0, 2), 30);  // next, full
  EXPECT_DOUBLE_EQ(some.served(0, 0), 40);  // the rest at the farthest
  EXPECT_DOUBLE_EQ(some.unserved_rps[0], 0);
  // 50 at 10 ms, 30 at 20 ms, 40 at 30 ms: the 60th request is at 20 ms.
  EXPECT_DOUBLE_EQ(some.latency_p50_s, 20 * ms);
  EXPECT_DOUBLE_EQ(some.latency_p95_s, 30 * ms);
  EXPECT_NEAR(some.mean_latency_s, (50 * 10 + 30 * 20 + 40 * 30) * ms / 120, 1e-15);

  const AnycastRouting all = route_anycast(std::vector<double>{200}, capacity, latency);
  EXPECT_DOUBLE_EQ(all.served(0, 0), 100);
  EXPECT_DOUBLE_EQ(all.unserved_rps[0], 20);
}

TEST(AnycastRouting, ARegionWithoutCapacityIsPassedOver) {
  const std::vector<double> latency{0, 40 * ms, 80 * ms};
  const AnycastRouting r = route_anycast(std::vector<double>{70}, std::vector<double>{0, 50, 50}, latency);
  EXPECT_DOUBLE_EQ(r.served(0, 0), 0);
  EXPECT_DOUBLE_EQ(r.served(0, 1), 50);
  EXPECT_DOUBLE_EQ(r.served(0, 2), 20);
  EXPECT_DOUBLE_EQ(r.latency_p50_s, 40 * ms);
}

TEST(AnycastRouting, TiesGoToTheFirstServingRegion) {
  const std::vector<double> latency{20 * ms, 20 * ms, 20 * ms};
  const AnycastRouting r = route_anycast(std::vector<double>{60}, std::vector<double>{50, 50, 50}, latency);
  EXPECT_DOUBLE_EQ(r.served(0, 0), 50);
  EXPECT_DOUBLE_EQ(r.served(0, 1), 10);
  EXPECT_DOUBLE_EQ(r.served(0, 2), 0);
  EXPECT_EQ(preference(latency, 3, 0), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(AnycastRouting, ClientRegionsMeetingAtOneRegionShareItInProportion) {
  // Both client regions are nearest to server 0 (90 rps); their second
  // choices differ and have room.
  const std::vector<double> latency{0, 50 * ms, 100 * ms,  //
                                    10 * ms, 100 * ms, 50 * ms};
  const AnycastRouting r = route_anycast(std::vector<double>{60, 120}, std::vector<double>{90, 1000, 1000}, latency);
  EXPECT_DOUBLE_EQ(r.served(0, 0), 30);
  EXPECT_DOUBLE_EQ(r.served(1, 0), 60);
  EXPECT_DOUBLE_EQ(r.served(0, 1), 30);
  EXPECT_DOUBLE_EQ(r.served(1, 2), 60);
}

TEST(AnycastRouting, SpillOverGetsOnlyWhatTheLocalUsersLeave) {
  // Client 0 lives at server 0; client 1's own region (server 1) has no
  // capacity, so it spills to server 0, which first serves its own users.
  const std::vector<double> latency{0, 40 * ms,  //
                                    40 * ms, 0};
  const AnycastRouting r = route_anycast(std::vector<double>{70, 50}, std::vector<double>{100, 0}, latency);
  EXPECT_DOUBLE_EQ(r.served(0, 0), 70);
  EXPECT_DOUBLE_EQ(r.served(1, 0), 30);
  EXPECT_DOUBLE_EQ(r.unserved_rps[0], 0);
  EXPECT_DOUBLE_EQ(r.unserved_rps[1], 20);
}

TEST(AnycastRouting, ALatencyLimitKeepsTrafficFromSpillingFar) {
  const std::vector<double> latency{0, 40 * ms, 150 * ms};
  const std::vector<double> capacity{10, 10, 100};
  const AnycastRouting limited = route_anycast(std::vector<double>{50}, capacity, latency, {.max_latency_s = 100 * ms});
  EXPECT_DOUBLE_EQ(limited.served(0, 2), 0);
  EXPECT_DOUBLE_EQ(limited.unserved_rps[0], 30);
  const AnycastRouting free = route_anycast(std::vector<double>{50}, capacity, latency);
  EXPECT_DOUBLE_EQ(free.served(0, 2), 30);
  EXPECT_DOUBLE_EQ(free.unserved_rps[0], 0);
}

TEST(AnycastRouting, PercentilesAreOverRequests) {
  EXPECT_DOUBLE_EQ(latency_percentile({}, 0.5), 0.0);
  const std::vector<WeightedLatency> cells{{0.08, 40}, {0.0, 60}};
  EXPECT_DOUBLE_EQ(latency_percentile(cells, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(latency_percentile(cells, 0.6), 0.0);
  EXPECT_DOUBLE_EQ(latency_percentile(cells, 0.61), 0.08);
  EXPECT_DOUBLE_EQ(latency_percentile(cells, 0.95), 0.08);
}

TEST(AnycastRouting, NothingServedMeansNoLatency) {
  const AnycastRouting r = route_anycast(std::vector<double>{10, 20}, std::vector<double>{0}, std::vector<double>{0, 0});
  EXPECT_DOUBLE_EQ(r.unserved_rps[0], 10);
  EXPECT_DOUBLE_EQ(r.unserved_rps[1], 20);
  EXPECT_DOUBLE_EQ(r.mean_latency_s, 0);
  EXPECT_DOUBLE_EQ(r.latency_p95_s, 0);
}

TEST(AnycastRouting, RandomRoutingsConserveTrafficAndRespectCapacity) {
  Rng rng(7, "anycast-routing-test");
  for (int trial = 0; trial < 500; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    const auto clients = 1 + static_cast<std::size_t>(rng.uniform() * 8);
    const auto servers = 1 + static_cast<std::size_t>(rng.uniform() * 10);
    std::vector<double> demand(clients), capacity(servers), latency(clients * servers);
    for (double& d : demand) d = rng.uniform() < 0.1 ? 0.0 : rng.uniform() * 100e3;
    for (double& c : capacity) c = rng.uniform() < 0.2 ? 0.0 : rng.uniform() * 60e3;
    // Coarse latencies, so that ties happen.
    for (double& l : latency) l = std::floor(rng.uniform() * 10) * 20 * ms;
    const AnycastRouting r = route_anycast(demand, capacity, latency);

    const double total_demand = std::accumulate(demand.begin(), demand.end(), 0.0);
    const double total_capacity = std::accumulate(capacity.begin(), capacity.end(), 0.0);
    const double tolerance = 1e-9 * std::max(1.0, total_demand + total_capacity);
    double served = 0, unserved = 0;
    for (std::size_t c = 0; c < clients; ++c) {
      EXPECT_NEAR(r.served_total(c) + r.unserved_rps[c], demand[c], tolerance);
      EXPECT_GE(r.unserved_rps[c], -tolerance);
      served += r.served_total(c);
      unserved += r.unserved_rps[c];
    }
    EXPECT_NEAR(served + unserved, total_demand, tolerance);
    for (std::size_t s = 0; s < servers; ++s) {
      double at = 0;
      for (std::size_t c = 0; c < clients; ++c) {
        EXPECT_GE(r.served(c, s), 0.0);
        at += r.served(c, s);
      }
      EXPECT_LE(at, capacity[s] + tolerance);
    }
    EXPECT_NEAR(served, std::min(total_demand, total_capacity), tolerance);
    // Nearest first: a client region served at some region left no room
    // unused strictly nearer to it.
    for (std::size_t c = 0; c < clients; ++c)
      for (std::size_t s = 0; s < servers; ++s) {
        if (r.served(c, s) <= tolerance) continue;
        for (std::size_t t = 0; t < servers; ++t) {
          if (latency[c * servers + t] >= latency[c * servers + s]) continue;
          double at = 0;
          for (std::size_t o = 0; o < clients; ++o) at += r.served(o, t);
          EXPECT_NEAR(at, capacity[t], tolerance) << "region " << t << " nearer to " << c << " has room";
        }
      }
    EXPECT_LE(r.latency_p50_s, r.latency_p95_s);
  }
}

/// Every round over every (client, server) pair in a dense matrix, the
/// order of preference sorted at each call: the model as first written.
std::vector<double> dense_reference(const std::vector<double>& demand, const std::vector<double>& capacity,
                                    const std::vector<double>& latency, double max_latency_s) {
  const std::size_t clients = demand.size(), servers = capacity.size();
  std::vector<double> served(clients * servers, 0.0), remaining(demand), room(capacity), wanted(servers);
  for (std::size_t k = 0; k < servers; ++k) {
    std::fill(wanted.begin(), wanted.end(), 0.0);
    std::vector<std::ptrdiff_t> target(clients, -1);
    for (std::size_t c = 0; c < clients; ++c) {
      if (remaining[c] <= 0) continue;
      const std::size_t s = preference(latency, servers, c)[k];
      if (latency[c * servers + s] > max_latency_s) continue;
      target[c] = static_cast<std::ptrdiff_t>(s);
      wanted[s] += remaining[c];
    }
    for (std::size_t c = 0; c < clients; ++c) {
      if (target[c] < 0) continue;
      const auto s = static_cast<std::size_t>(target[c]);
      const double share = wanted[s] <= room[s] ? 1.0 : room[s] / wanted[s];
      const double take = share == 1.0 ? remaining[c] : remaining[c] * share;
      served[c * servers + s] += take;
      remaining[c] -= take;
    }
    for (std::size_t s = 0; s < servers; ++s) room[s] = std::max(0.0, room[s] - std::min(room[s], wanted[s]));
  }
  return served;
}

TEST(AnycastRouting, PreferencesSortedOnceAndSparseCellsGiveTheDenseRoutingBitForBit) {
  Rng rng(11, "anycast-sparse-test");
  for (int trial = 0; trial < 500; ++trial) {
    SCOPED_TRACE(fmt::format("trial {}", trial));
    const auto clients = 1 + static_cast<std::size_t>(rng.uniform() * 12);
    const auto servers = 1 + static_cast<std::size_t>(rng.uniform() * 12);
    std::vector<double> demand(clients), capacity(servers), latency(clients * servers);
    for (double& d : demand) d = rng.uniform() < 0.2 ? 0.0 : rng.uniform() * 100e3;
    for (double& c : capacity) c = rng.uniform() < 0.3 ? 0.0 : rng.uniform() * 60e3;
    for (double& l : latency) l = std::floor(rng.uniform() * 10) * 20 * ms;
    AnycastOptions options;
    if (trial % 3 == 0) options.max_latency_s = 100 * ms;
    const AnycastPreferences preferred = preferences(latency, servers);
    for (std::size_t c = 0; c < clients; ++c)
      EXPECT_EQ(std::vector<std::size_t>(preferred.of(c), preferred.of(c) + servers), preference(latency, servers, c));
    const AnycastRouting r = route_anycast(demand, capacity, latency, preferred, /*with_latency=*/false, options);
    const std::vector<double> dense = dense_reference(demand, capacity, latency, options.max_latency_s);
    std::vector<double> by_server(servers, 0.0);
    for (std::size_t c = 0; c < clients; ++c) {
      std::size_t last = 0;
      bool first = true;
      for (const auto& cell : r.served_from(c)) {
        EXPECT_GT(cell.rps, 0.0);  // only cells with something served
        if (!first) {
          EXPECT_GT(cell.server, last);  // by serving region
        }
        first = false;
        last = cell.server;
      }
      for (std::size_t s = 0; s < servers; ++s) {
        EXPECT_EQ(r.served(c, s), dense[c * servers + s]) << c << " at " << s;
        by_server[s] += dense[c * servers + s];
      }
    }
    EXPECT_EQ(r.served_by_server(), by_server);
  }
}

}  // namespace
}  // namespace outagesim::models
