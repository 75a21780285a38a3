#include "traffic.hpp"

namespace outagesim::metrics {

void TrafficSeries::add_series(SeriesTable& table) {
  std::vector<bool> slowed(world_.services.size(), false);
  for (const auto& f : world_.faults)
    if (std::holds_alternative<scenario::faults::LatencyInjection>(f.kind))
      for (int i : f.instances) slowed[static_cast<std::size_t>(world_.instances[static_cast<std::size_t>(i)].service)] = true;
  for (std::size_t s = 0; s < world_.services.size(); ++s) {
    if (!world_.services[s].has_memory() && !slowed[s]) continue;
    services_.push_back(s);
    auto& ids = series_.emplace_back();
    for (std::size_t m = 0; m < declared.size(); ++m) ids[m] = table.add(declared[m], world_.services[s].id);
  }
}

void TrafficSeries::sample(const Sample& s, SeriesTable& table) const {
  const std::vector<double>& needs = s.evaluator.needs();
  for (std::size_t k = 0; k < services_.size(); ++k) {
    const std::size_t service = services_[k];
    const auto o =
        world::service_outcome(world_, s.state, static_cast<int>(service), needs[service], /*with_latency=*/true);
    // In declared's order.
    const std::array<double, declared.size()> values{o.offered_rps,   o.goodput_rps,   o.wasted_rps,  o.wait_s,
                                                     o.latency_p50_s, o.latency_p95_s, o.lease_share};
    for (std::size_t m = 0; m < declared.size(); ++m) table.push(series_[k][m], values[m]);
  }
}

}  // namespace outagesim::metrics
