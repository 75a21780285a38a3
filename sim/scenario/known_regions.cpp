#include "known_regions.hpp"

namespace outagesim::scenario {

const std::vector<KnownRegion>& known_regions() {
  // City-centre coordinates, rounded to 0.01 degree.
  static const std::vector<KnownRegion> table{
      {"na-east", "Ashburn", 39.04, -77.49},         {"na-central", "Chicago", 41.88, -87.63},
      {"na-west", "San Jose", 37.34, -121.89},       {"sa-east", "Sao Paulo", -23.55, -46.63},
      {"eu-west", "London", 51.51, -0.13},           {"eu-central", "Frankfurt", 50.11, 8.68},
      {"eu-north", "Stockholm", 59.33, 18.07},       {"me-central", "Dubai", 25.20, 55.27},
      {"af-south", "Johannesburg", -26.20, 28.05},   {"ap-south", "Mumbai", 19.08, 72.88},
      {"ap-southeast", "Singapore", 1.35, 103.82},   {"ap-east", "Hong Kong", 22.32, 114.17},
      {"ap-northeast", "Tokyo", 35.68, 139.69},      {"oc-east", "Sydney", -33.87, 151.21},
  };
  return table;
}

std::optional<KnownRegion> find_known_region(std::string_view name) {
  for (const auto& region : known_regions())
    if (region.name == name) return region;
  return std::nullopt;
}

}  // namespace outagesim::scenario
