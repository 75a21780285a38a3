#include "dns_queries.hpp"

#include "sim/world/traffic.hpp"

namespace outagesim::metrics {

void DnsQuerySeries::add_series(SeriesTable& table) {
  for (std::size_t s = 0; s < world_.services.size(); ++s) {
    if (!world_.services[s].carries_queries) continue;
    authorities_.push_back(s);
    auto& ids = series_.emplace_back();
    for (std::size_t m = 0; m < declared.size(); ++m) ids[m] = table.add(declared[m], world_.services[s].id);
  }
}

void DnsQuerySeries::sample(const Sample& s, SeriesTable& table) const {
  const std::vector<double>& needs = s.evaluator.needs();
  for (std::size_t k = 0; k < authorities_.size(); ++k) {
    const std::size_t service = authorities_[k];
    const auto o =
        world::service_outcome(world_, s.state, static_cast<int>(service), needs[service], /*with_latency=*/false);
    // In declared's order.
    const double answered = world::dns_answered_share(world_, s.state, static_cast<int>(service),
                                                      s.availability.service[service]);
    const std::array<double, declared.size()> values{o.offered_rps, answered};
    for (std::size_t m = 0; m < declared.size(); ++m) table.push(series_[k][m], values[m]);
  }
}

}  // namespace outagesim::metrics
