#include "anycast_routing.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace outagesim::models {

double AnycastRouting::served_total(std::size_t client) const {
  double total = 0;
  for (std::size_t s = 0; s < servers; ++s) total += served(client, s);
  return total;
}

std::vector<std::size_t> preference(std::span<const double> latency_s, std::size_t servers, std::size_t client) {
  std::vector<std::size_t> order(servers);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const double* row = latency_s.data() + client * servers;
  std::stable_sort(order.begin(), order.end(), [row](std::size_t a, std::size_t b) { return row[a] < row[b]; });
  return order;
}

AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
              std::span<const double> latency_s, const AnycastOptions& options) {
  const std::size_t clients = demand_rps.size();
  const std::size_t servers = capacity_rps.size();
  if (latency_s.size() != clients * servers) throw std::invalid_argument("route: latency matrix is not clients x servers");

  AnycastRouting r;
  r.clients = clients;
  r.servers = servers;
  r.served_rps.assign(clients * servers, 0.0);
  std::vector<double> remaining(demand_rps.begin(), demand_rps.end());
  for (double& d : remaining) d = std::max(0.0, d);
  std::vector<double> room(capacity_rps.begin(), capacity_rps.end());
  for (double& c : room) c = std::max(0.0, c);

  // Only client regions with something to send need an order of preference.
  std::vector<std::vector<std::size_t>> order(clients);
  for (std::size_t c = 0; c < clients; ++c)
    if (remaining[c] > 0) order[c] = preference(latency_s, servers, c);

  // Round k: every client region sends what it still has to its k-th choice.
  std::vector<double> wanted(servers);
  for (std::size_t k = 0; k < servers; ++k) {
    std::fill(wanted.begin(), wanted.end(), 0.0);
    auto target = [&](std::size_t c) -> std::ptrdiff_t {
      if (remaining[c] <= 0) return -1;
      const std::size_t s = order[c][k];
      if (latency_s[c * servers + s] > options.max_latency_s) return -1;
      return static_cast<std::ptrdiff_t>(s);
    };
    for (std::size_t c = 0; c < clients; ++c)
      if (const auto s = target(c); s >= 0) wanted[static_cast<std::size_t>(s)] += remaining[c];
    for (std::size_t c = 0; c < clients; ++c) {
      const auto s = target(c);
      if (s < 0) continue;
      const auto si = static_cast<std::size_t>(s);
      const double share = wanted[si] <= room[si] ? 1.0 : room[si] / wanted[si];
      const double take = share == 1.0 ? remaining[c] : remaining[c] * share;
      r.served_rps[c * servers + si] += take;
      remaining[c] -= take;
    }
    for (std::size_t s = 0; s < servers; ++s) room[s] = std::max(0.0, room[s] - std::min(room[s], wanted[s]));
  }
  r.unserved_rps = std::move(remaining);

  std::vector<WeightedLatency> cells;
  double served = 0, weighted = 0;
  for (std::size_t c = 0; c < clients; ++c)
    for (std::size_t s = 0; s < servers; ++s) {
      const double rps = r.served(c, s);
      if (rps <= 0) continue;
      const double latency = latency_s[c * servers + s];
      cells.push_back({latency, rps});
      served += rps;
      weighted += rps * latency;
    }
  r.mean_latency_s = served > 0 ? weighted / served : 0.0;
  r.latency_p50_s = latency_percentile(cells, 0.50);
  r.latency_p95_s = latency_percentile(std::move(cells), 0.95);
  return r;
}

double latency_percentile(std::vector<WeightedLatency> cells, double p) {
  std::erase_if(cells, [](const WeightedLatency& w) { return !(w.rps > 0); });
  if (cells.empty()) return 0.0;
  std::stable_sort(cells.begin(), cells.end(),
                   [](const WeightedLatency& a, const WeightedLatency& b) { return a.latency_s < b.latency_s; });
  double total = 0;
  for (const auto& w : cells) total += w.rps;
  const double needed = std::clamp(p, 0.0, 1.0) * total;
  double seen = 0;
  for (const auto& w : cells) {
    seen += w.rps;
    // Relative slack so that a share meant to reach p exactly is not lost to rounding.
    if (seen >= needed * (1 - 1e-12)) return w.latency_s;
  }
  return cells.back().latency_s;
}

}  // namespace outagesim::models
