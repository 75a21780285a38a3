// Region names a scenario may use without declaring coordinates. Each stands
// for a major interconnection city; the world stage derives backbone latency
// from the distance between them (docs/models/platform.md).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace outagesim::scenario {

struct KnownRegion {
  std::string_view name;
  std::string_view city;  ///< whose coordinates stand for the region
  double latitude_deg;
  double longitude_deg;
};

/// The built-in table, in a fixed order.
const std::vector<KnownRegion>& known_regions();

/// The entry called `name`, if any.
std::optional<KnownRegion> find_known_region(std::string_view name);

}  // namespace outagesim::scenario
