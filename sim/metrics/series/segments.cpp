#include "segments.hpp"

#include "sim/world/config_effects.hpp"

#include <algorithm>

namespace outagesim::metrics {

void SegmentSeries::add_series(SeriesTable& table) {
  for (const auto& s : world_.services) {
    auto& segments = series_.emplace_back();
    for (const auto& g : s.segments) {
      auto& ids = segments.emplace_back();
      for (std::size_t m = 0; m < declared.size(); ++m) ids[m] = table.add(declared[m], s.id + "/" + g.name);
    }
  }
}

void SegmentSeries::sample(const Sample& s, SeriesTable& table) const {
  for (std::size_t k = 0; k < world_.services.size(); ++k) {
    const auto& service = world_.services[k];
    for (std::size_t g = 0; g < service.segments.size(); ++g) {
      const double served = segment_availability(k, g, s.availability.service[k], s.state);
      const double failed = service.offered_rps * s.state.services[k].load_factor * s.demand *
                            service.segments[g].share * (1.0 - served);
      // In declared's order.
      const std::array<double, declared.size()> values{served, failed};
      for (std::size_t m = 0; m < declared.size(); ++m) table.push(series_[k][g][m], values[m]);
    }
  }
}

double SegmentSeries::segment_availability(std::size_t service, std::size_t segment, double service_availability,
                                           const world::WorldState& state) const {
  // The service's availability with the error share of all its traffic
  // replaced by that of the segment's: capacity and dependencies hit every
  // segment alike, config effects may not.
  double capacity = 0, healthy_all = 0, healthy_segment = 0;
  for (std::size_t k = 0; k < world_.services[service].instances.size(); ++k) {
    const int i = world_.services[service].instances[k];
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up) continue;
    const double c = world_.instances[static_cast<std::size_t>(i)].capacity_rps * instance.capacity_factor;
    double survives = 1.0;
    for (const auto& [channel, kc] : world_.instances[static_cast<std::size_t>(i)].consumes)
      survives *= 1.0 - world::config_segment_error_rate(world_, state, channel, kc, static_cast<int>(segment));
    capacity += c;
    healthy_all += c * (1.0 - instance.error_rate);
    healthy_segment += c * survives;
  }
  if (capacity <= 0 || healthy_all <= 0) return healthy_segment > 0 ? service_availability : 0.0;
  return std::clamp(service_availability * healthy_segment / healthy_all, 0.0, 1.0);
}

}  // namespace outagesim::metrics
