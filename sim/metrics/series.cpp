#include "series.hpp"

#include "series/observers.hpp"

#include <algorithm>

namespace outagesim::metrics {

double integrated_so_far(const SeriesTable& table, SeriesId rate, SeriesId total, const Sample& s) {
  const std::size_t n = s.times.size();
  if (n < 2) return 0.0;
  return table.previous(total) + table.previous(rate) * (s.t_s - s.times[n - 2]);
}

std::vector<std::string> provider_names(const world::World& world) {
  std::vector<std::string> providers;
  for (const auto& s : world.services)
    if (std::find(providers.begin(), providers.end(), s.provider) == providers.end()) providers.push_back(s.provider);
  return providers;
}

std::vector<std::size_t> sites_with_series(const world::World& world) {
  std::vector<std::size_t> sites;
  for (std::size_t s = 0; s < world.sites.size(); ++s)
    if (world.sites[s].series) sites.push_back(s);
  return sites;
}

namespace {

template <class... Observers>
std::vector<SeriesDeclaration> declarations_of(const std::tuple<Observers...>* /*order*/) {
  std::vector<SeriesDeclaration> out;
  (out.insert(out.end(), Observers::declared.begin(), Observers::declared.end()), ...);
  return out;
}

}  // namespace

const std::vector<SeriesDeclaration>& series_declarations() {
  static const std::vector<SeriesDeclaration> all = declarations_of(static_cast<const SeriesObservers*>(nullptr));
  return all;
}

const SeriesDeclaration* find_series_declaration(std::string_view scope, std::string_view metric) {
  for (const auto& d : series_declarations())
    if (d.scope == scope && d.metric == metric) return &d;
  return nullptr;
}

}  // namespace outagesim::metrics
