#include "site_mix.hpp"

#include <algorithm>
#include <array>

namespace outagesim::models {
namespace {

constexpr std::array roles{ProviderRole::cdn, ProviderRole::dns, ProviderRole::hosting};

/// One role's options: each of its providers with its share of all sites in
/// the band (split by the backup a share of its sites adopted), then "none
/// of ours" (-1) with the rest.
struct Option {
  int provider = -1;
  int backup = no_backup;
  double share = 0;
};

double adopted(ProviderRole role, const Adoption& adoption) {
  switch (role) {
    case ProviderRole::cdn: return adoption.second_cdn;
    case ProviderRole::dns: return adoption.second_dns;
    case ProviderRole::hosting: return 0;
  }
  return 0;
}

std::vector<Option> options(std::span<const ProviderShare> providers, ProviderRole role, double cdn_usage,
                            const Adoption& adoption) {
  std::vector<Option> out;
  double used = 0;
  const double with_backup = adopted(role, adoption);
  for (std::size_t p = 0; p < providers.size(); ++p) {
    if (providers[p].role != role) continue;
    const double share = providers[p].share * (role == ProviderRole::cdn ? cdn_usage : 1.0);
    used += share;
    out.push_back({static_cast<int>(p), no_backup, share * (1 - with_backup)});
    if (with_backup <= 0) continue;
    // The second provider is any other of the role, by market share: the
    // others' shares renormalised without p's own, the rest outside.
    const double others = 1 - providers[p].share;
    double inside = 0;
    for (std::size_t q = 0; q < providers.size() && others > 0; ++q) {
      if (q == p || providers[q].role != role) continue;
      const double part = providers[q].share / others;
      inside += part;
      out.push_back({static_cast<int>(p), static_cast<int>(q), share * with_backup * part});
    }
    out.push_back({static_cast<int>(p), backup_outside, share * with_backup * std::max(0.0, 1 - inside)});
  }
  out.push_back({-1, no_backup, std::max(0.0, 1.0 - used)});
  return out;
}

}  // namespace

std::vector<SiteClass> site_classes(std::span<const ProviderShare> providers, double cdn_usage,
                                    const Adoption& adoption) {
  std::vector<SiteClass> classes{{{}, {}, 1.0}};
  for (ProviderRole role : roles) {
    std::vector<SiteClass> next;
    for (const auto& c : classes)
      for (const auto& o : options(providers, role, cdn_usage, adoption)) {
        if (o.share <= 0) continue;
        SiteClass grown = c;
        if (o.provider >= 0) {
          grown.providers.push_back(o.provider);
          grown.backups.push_back(o.backup);
        }
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
