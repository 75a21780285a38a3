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

struct AnycastRouting {
  std::size_t clients = 0;
  std::size_t servers = 0;
  std::vector<double> served_rps;    ///< clients x servers, row-major
  std::vector<double> unserved_rps;  ///< per client region
  double mean_latency_s = 0;         ///< over served requests; 0 when none is served
  double latency_p50_s = 0;          ///< over served requests
  double latency_p95_s = 0;

  [[nodiscard]] double served(std::size_t client, std::size_t server) const { return served_rps[client * servers + server]; }
  /// Everything client region `client` gets served, anywhere.
  [[nodiscard]] double served_total(std::size_t client) const;
};

/// Serving regions in the order client region `client` tries them: by
/// latency, ties by index. `latency_s` is clients x servers, row-major.
std::vector<std::size_t> preference(std::span<const double> latency_s, std::size_t servers, std::size_t client);

/// Routes `demand_rps` (per client region) over `capacity_rps` (per serving
/// region) by `latency_s` (clients x servers, row-major, in seconds).
/// Deterministic; served + unserved equals demand for every client region.
AnycastRouting route_anycast(std::span<const double> demand_rps, std::span<const double> capacity_rps,
              std::span<const double> latency_s, const AnycastOptions& options = {});

/// The smallest latency at or below which at least `p` (in [0, 1]) of the
/// requests are: the lower weighted quantile. 0 when there are none.
double latency_percentile(std::vector<WeightedLatency> cells, double p);

}  // namespace outagesim::models
