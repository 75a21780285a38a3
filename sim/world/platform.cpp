#include "platform.hpp"

#include <cmath>
#include <numbers>

namespace outagesim::world {

double backbone_latency_s(const Region& a, const Region& b) {
  constexpr double earth_radius_km = 6371.0;
  constexpr double fibre_km_per_s = 200'000.0;
  constexpr double path_stretch = 1.3;
  constexpr double switching_s = 1e-3;
  const double to_rad = std::numbers::pi / 180.0;
  double lat1 = a.latitude_deg * to_rad, lat2 = b.latitude_deg * to_rad;
  double dlat = lat2 - lat1, dlon = (b.longitude_deg - a.longitude_deg) * to_rad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  double distance_km = 2 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(h)));
  return switching_s + distance_km * path_stretch / fibre_km_per_s;
}

const std::string& control_plane_host(const Platform& platform, std::string_view provider) {
  for (const auto& c : platform.control_planes)
    if (c.provider == provider) return c.host;
  return platform.control_planes.front().host;
}

}  // namespace outagesim::world
