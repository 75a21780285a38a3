#include "region_latency.hpp"

#include "sim/scenario/known_regions.hpp"

#include <algorithm>
#include <stdexcept>

namespace outagesim::world {

Region locate_region(const scenario::Scenario& scenario, const std::string& name) {
  Region region{name, 0, 0};
  auto declared = std::find_if(scenario.regions.begin(), scenario.regions.end(),
                               [&](const scenario::RegionSpec& r) { return r.name == name; });
  if (declared != scenario.regions.end() && declared->latitude_deg) {
    region.latitude_deg = *declared->latitude_deg;
    region.longitude_deg = *declared->longitude_deg;
  } else if (auto known = scenario::find_known_region(name)) {
    region.latitude_deg = known->latitude_deg;
    region.longitude_deg = known->longitude_deg;
  } else {
    throw std::logic_error("world::build: unvalidated region " + name);
  }
  return region;
}

double region_latency_s(const scenario::Scenario& scenario, const Region& a, const Region& b) {
  if (a.name == b.name) return 0.0;
  double latency = backbone_latency_s(a, b);
  for (const auto& l : scenario.network.latencies)
    if ((l.from == a.name && l.to == b.name) || (l.to == a.name && l.from == b.name)) latency = l.latency_s;
  return latency;
}

}  // namespace outagesim::world
