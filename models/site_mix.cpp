#include "site_mix.hpp"

#include <algorithm>
#include <array>

namespace outagesim::models {
namespace {

constexpr std::array roles{ProviderRole::cdn, ProviderRole::dns, ProviderRole::hosting};

/// One role's options: each of its providers with its share of all sites in
/// the band, then "none of ours" (-1) with the rest.
struct Option {
  int provider = -1;
  double share = 0;
};

std::vector<Option> options(std::span<const ProviderShare> providers, ProviderRole role, double cdn_usage) {
  std::vector<Option> out;
  double used = 0;
  for (std::size_t p = 0; p < providers.size(); ++p) {
    if (providers[p].role != role) continue;
    const double share = providers[p].share * (role == ProviderRole::cdn ? cdn_usage : 1.0);
    out.push_back({static_cast<int>(p), share});
    used += share;
  }
  out.push_back({-1, std::max(0.0, 1.0 - used)});
  return out;
}

}  // namespace

std::vector<SiteClass> site_classes(std::span<const ProviderShare> providers, double cdn_usage) {
  std::vector<SiteClass> classes{{{}, 1.0}};
  for (ProviderRole role : roles) {
    std::vector<SiteClass> next;
    for (const auto& c : classes)
      for (const auto& o : options(providers, role, cdn_usage)) {
        if (o.share <= 0) continue;
        SiteClass grown = c;
        if (o.provider >= 0) grown.providers.push_back(o.provider);
        grown.share *= o.share;
        next.push_back(std::move(grown));
      }
    classes = std::move(next);
  }
  return classes;
}

std::vector<RankBand> rank_bands(long long sites) {
  std::vector<RankBand> bands;
  long long first = 1;
  for (const auto& band : cdn_usage_bands()) {
    if (first > sites) break;
    bands.push_back({first, std::min(band.last_rank, sites)});
    first = band.last_rank + 1;
  }
  if (first <= sites) bands.push_back({first, sites});
  return bands;
}

}  // namespace outagesim::models
