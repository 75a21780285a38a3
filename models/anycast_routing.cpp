#include "anycast_routing.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace outagesim::models {

double AnycastRouting::served(std::size_t client, std::size_t server) const {
  for (const auto& cell : served_from(client))
    if (cell.server == server) return cell.rps;
  return 0.0;
}

double AnycastRouting::served_total(std::size_t client) const {
  double total = 0;
  for (const auto& cell : served_from(client)) total += cell.rps;
  return total;
}

std::vector<double> AnycastRouting::served_by_server() const {
  std::vector<double> total(servers, 0.0);
  for (const auto& cell : cells) total[cell.server] += cell.rps;
  return total;
}

std::vector<std::size_t> preference(std::span<const double> latency_s, std::size_t servers, std::size_t client) {
  std::vector<std::size_t> order(servers);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const double* row = latency_s.data() + client * servers;
  std::stable_sort(order.begin(), order.end(), [row](std::size_t a, std::size_t b) { return row[a] < row[b]; });
  return order;
}

AnycastPreferences preferences(std::span<const double> latency_s, std::size_t servers) {
  AnycastPreferences p;
  p.servers = servers;
  if (servers == 0) return p;
  const std::size_t clients = latency_s.size() / servers;
  p.order.reserve(clients * servers);
  for (std::size_t c = 0; c < clients; ++c) {
    const auto order = preference(latency_s, servers, c);
    p.order.insert(p.order.end(), order.begin(), order.end());
  }
  return p;
}

AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
              std::span<const double> latency_s, const AnycastOptions& options) {
  const std::size_t servers = capacity_rps.size();
  if (latency_s.size() != demand_rps.size() * servers)
    throw std::invalid_argument("route: latency matrix is not clients x servers");
  return route_anycast(demand_rps, capacity_rps, latency_s, preferences(latency_s, servers), /*with_latency=*/true,
                       options);
}

AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
                             std::span<const double> latency_s, const AnycastPreferences& preferred,
                             bool with_latency, const AnycastOptions& options) {
  const std::size_t clients = demand_rps.size();
  const std::size_t servers = capacity_rps.size();
  if (latency_s.size() != clients * servers) throw std::invalid_argument("route: latency matrix is not clients x servers");
  if (preferred.servers != servers || preferred.order.size() != clients * servers)
    throw std::invalid_argument("route: preferences are not of this latency matrix");

  AnycastRouting r;
  r.clients = clients;
  r.servers = servers;
  std::vector<double> remaining(demand_rps.begin(), demand_rps.end());
  for (double& d : remaining) d = std::max(0.0, d);
  std::vector<double> room(capacity_rps.begin(), capacity_rps.end());
  for (double& c : room) c = std::max(0.0, c);

  // Round k: every client region sends what it still has to its k-th
  // choice. A client region takes at most one share of each serving
  // region, so each round adds at most one cell per client region.
  struct Take {
    std::size_t client, server;
    double rps;
  };
  std::vector<Take> takes;
  // Only what changes is visited: the client regions with something left to
  // send (in order, so sums and cells come out as a pass over all of them
  // would make them), and the serving regions asked for in the round.
  std::vector<std::size_t> active;
  for (std::size_t c = 0; c < clients; ++c)
    if (remaining[c] > 0) active.push_back(c);
  std::size_t with_room = 0;
  for (double c : room) with_room += c > 0 ? 1 : 0;
  std::vector<double> wanted(servers, 0.0);
  std::vector<std::ptrdiff_t> target(clients, -1);
  std::vector<std::size_t> asked;
  for (std::size_t k = 0; k < servers && !active.empty(); ++k) {
    for (std::size_t c : active) {
      const std::size_t s = preferred.of(c)[k];
      // Choices come by latency: once one is out of reach, so are the rest.
      target[c] = latency_s[c * servers + s] > options.max_latency_s ? -1 : static_cast<std::ptrdiff_t>(s);
      if (target[c] < 0) continue;
      if (wanted[s] == 0) asked.push_back(s);
      wanted[s] += remaining[c];
    }
    // Nothing left to send (or, farther on, nowhere within reach): later rounds change nothing.
    if (asked.empty()) break;
    for (std::size_t c : active) {
      if (target[c] < 0) continue;
      const auto si = static_cast<std::size_t>(target[c]);
      const double share = wanted[si] <= room[si] ? 1.0 : room[si] / wanted[si];
      const double take = share == 1.0 ? remaining[c] : remaining[c] * share;
      if (take > 0) takes.push_back({c, si, take});
      remaining[c] -= take;
    }
    for (std::size_t s : asked) {
      const bool had_room = room[s] > 0;
      room[s] = std::max(0.0, room[s] - std::min(room[s], wanted[s]));
      if (had_room && !(room[s] > 0)) --with_room;
      wanted[s] = 0;
    }
    asked.clear();
    // No room anywhere: every later round takes nothing.
    if (with_room == 0) break;
    std::erase_if(active, [&](std::size_t c) { return !(remaining[c] > 0) || target[c] < 0; });
  }
  r.unserved_rps = std::move(remaining);

  // Cells by client region, then serving region.
  std::stable_sort(takes.begin(), takes.end(), [](const Take& a, const Take& b) {
    return a.client != b.client ? a.client < b.client : a.server < b.server;
  });
  r.first.assign(clients + 1, 0);
  r.cells.reserve(takes.size());
  for (const auto& t : takes) {
    r.cells.push_back({t.server, t.rps});
    ++r.first[t.client + 1];
  }
  for (std::size_t c = 0; c < clients; ++c) r.first[c + 1] += r.first[c];
  if (!with_latency) return r;

  std::vector<WeightedLatency> cells;
  double served = 0, weighted = 0;
  for (std::size_t c = 0; c < clients; ++c)
    for (const auto& cell : r.served_from(c)) {
      const double latency = latency_s[c * servers + cell.server];
      cells.push_back({latency, cell.rps});
      served += cell.rps;
      weighted += cell.rps * latency;
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
