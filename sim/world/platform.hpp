// The network the config files travel over, as plain data. The engine turns it
// into SimGrid objects; everything else (tests, reports) can read it without
// an engine. Shape: one router per region, a full mesh of backbone links
// between the routers, and each host (instance or publisher) attached to its
// region's router by a link of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace outagesim::world {

struct Region {
  std::string name;
  double latitude_deg = 0;
  double longitude_deg = 0;
};

struct Link {
  std::string name;
  double bandwidth_Bps = 0;
  double latency_s = 0;
};

/// An undirected connection between two netpoints (hosts or routers) through one link.
struct Edge {
  std::string from;
  std::string to;
  int link = -1;  ///< index into Platform::links
};

/// Where a provider's own control logic runs: its operators, its fault
/// injections other than config pushes, its health checkers.
struct ControlPlane {
  std::string provider;
  std::string host;  ///< "control@<provider>", also in Platform::hosts
  int region = -1;   ///< the region of the provider's first instance
};

/// Where the users of a client region (traffic.client_regions) connect from.
struct ClientHost {
  std::string host;  ///< "clients@<region>", also in Platform::hosts
  int region = -1;
};

struct Platform {
  std::vector<Region> regions;      ///< regions in use, in first-use order
  std::vector<std::string> routers; ///< router of region i is routers[i]
  std::vector<std::string> hosts;
  std::vector<Link> links;
  std::vector<Edge> edges;
  std::vector<ControlPlane> control_planes;  ///< one per provider, in scenario order
  std::vector<ClientHost> clients;           ///< one per client region, in scenario order
};

/// The control-plane host of `provider`; the first provider's for an empty
/// or unknown name (an action or fault that names no provider).
const std::string& control_plane_host(const Platform& platform, std::string_view provider);

/// Bandwidth of a control plane's own link: a publisher's default uplink.
inline constexpr double control_plane_bandwidth_Bps = 10e9 / 8;

/// One-way latency of the backbone between two points: great-circle distance,
/// stretched by 1.3 for real fibre paths, at 200,000 km/s (light in fibre),
/// plus 1 ms of switching. See docs/models/platform.md.
double backbone_latency_s(const Region& a, const Region& b);

/// Latency of a host's own link to its region's router, in seconds.
inline constexpr double access_latency_s = 0.5e-3;

}  // namespace outagesim::world
