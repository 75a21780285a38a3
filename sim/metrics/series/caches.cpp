#include "caches.hpp"

namespace outagesim::metrics {

void CacheSeries::add_series(SeriesTable& table) {
  for (std::size_t s = 0; s < world_.services.size(); ++s) {
    if (!world_.services[s].is_cache()) continue;
    caches_.push_back(s);
    auto& ids = series_.emplace_back();
    for (std::size_t m = 0; m < declared.size(); ++m) ids[m] = table.add(declared[m], world_.services[s].id);
  }
}

void CacheSeries::sample(const Sample& s, SeriesTable& table) const {
  for (std::size_t k = 0; k < caches_.size(); ++k) {
    const std::size_t cache = caches_[k];
    const double fill = s.state.services[cache].cache_fill;
    const double answered = s.availability.service[cache];
    double reads = 0, hits = 0;
    for (const auto& l : world_.look_asides) {
      if (static_cast<std::size_t>(l.cache) != cache) continue;
      reads += l.reads_rps;
      hits += l.reads_rps * l.hit_rate * fill * answered;
    }
    // In declared's order.
    const std::array<double, declared.size()> values{reads > 0 ? hits / reads : 0.0, fill};
    for (std::size_t m = 0; m < declared.size(); ++m) table.push(series_[k][m], values[m]);
  }
}

}  // namespace outagesim::metrics
