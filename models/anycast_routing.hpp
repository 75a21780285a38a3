// Anycast with spill-over (docs/models/routing.md). Each client region's
// requests go to the nearest serving region; what that region cannot take
// spills to the next nearest, and so on in order of latency, each serving
// region up to its capacity; what no region can take is unserved. Requests
// meeting at one serving region in the same round of preference (every
// client region's k-th choice) share its capacity left in proportion to
// their rates, so no client region is favoured by its position in a list.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace outagesim::models {

/// One request rate at one latency: a cell of a routing, or anything else
/// whose latency distribution is to be summarised.
struct WeightedLatency {
  double latency_s = 0;
  double rps = 0;
};

struct AnycastOptions {
  /// A client region spills only to serving regions at most this far away
  /// (infinity: anywhere).
  double max_latency_s = std::numeric_limits<double>::infinity();
};

/// Requests of one client region served at one serving region.
struct ServedCell {
  std::size_t server = 0;
  double rps = 0;
};

struct AnycastRouting {
  std::size_t clients = 0;
  std::size_t servers = 0;
  /// What each client region gets served where, only where it is more than
  /// 0: client c's cells are cells[first[c]] to cells[first[c + 1]], by
  /// serving region. A client region reaches few regions (its nearest ones
  /// up), so this stays small where a clients x servers matrix would not.
  std::vector<ServedCell> cells;
  std::vector<std::size_t> first;
  std::vector<double> unserved_rps;  ///< per client region
  double mean_latency_s = 0;         ///< over served requests; 0 when none is served
  double latency_p50_s = 0;          ///< over served requests
  double latency_p95_s = 0;

  [[nodiscard]] double served(std::size_t client, std::size_t server) const;
  /// The cells of client region `client`, by serving region.
  [[nodiscard]] std::span<const ServedCell> served_from(std::size_t client) const {
    return {cells.data() + first[client], cells.data() + first[client + 1]};
  }
  /// Everything client region `client` gets served, anywhere.
  [[nodiscard]] double served_total(std::size_t client) const;
  /// Per serving region, what it serves, summed over the client regions in their order.
  [[nodiscard]] std::vector<double> served_by_server() const;
};

/// Every client region's order of preference of the serving regions (what
/// preference() gives for each), computed once for a latency matrix: the
/// order depends on the latencies alone, not on demand or capacity.
struct AnycastPreferences {
  std::size_t servers = 0;
  std::vector<std::size_t> order;  ///< clients x servers, row-major
  [[nodiscard]] const std::size_t* of(std::size_t client) const { return order.data() + client * servers; }
};

/// Serving regions in the order client region `client` tries them: by
/// latency, ties by index. `latency_s` is clients x servers, row-major.
std::vector<std::size_t> preference(std::span<const double> latency_s, std::size_t servers, std::size_t client);

/// preference() for every client region of `latency_s` (clients x servers).
AnycastPreferences preferences(std::span<const double> latency_s, std::size_t servers);

/// Routes `demand_rps` (per client region) over `capacity_rps` (per serving
/// region) by `latency_s` (clients x servers, row-major, in seconds).
/// Deterministic; served + unserved equals demand for every client region.
AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
              std::span<const double> latency_s, const AnycastOptions& options = {});

/// The same with the orders of preference computed beforehand (`preferred`,
/// from preferences(latency_s)), and the latency summary (mean_latency_s,
/// latency_p50_s, latency_p95_s) only `with_latency`: what a caller routing
/// the same regions at every sample needs.
AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
                             std::span<const double> latency_s, const AnycastPreferences& preferred,
                             bool with_latency, const AnycastOptions& options = {});

/// The smallest latency at or below which at least `p` (in [0, 1]) of the
/// requests are: the lower weighted quantile. 0 when there are none.
double latency_percentile(std::vector<WeightedLatency> cells, double p);

}  // namespace outagesim::models
