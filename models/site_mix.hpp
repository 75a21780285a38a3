// The default dependency mix of a generated site population
// (docs/models/population.md): each site uses at most one of the scenario's
// providers per role, chosen independently across roles with the providers'
// market shares; the rest of the sites use providers outside the scenario,
// which do not fail. Only CDN use varies with popularity (models/web_reference).
#pragma once

#include "web_reference.hpp"

#include <span>
#include <vector>

namespace outagesim::models {

struct ProviderShare {
  ProviderRole role = ProviderRole::cdn;
  /// cdn: share of the sites behind a CDN that use this one; dns: share of
  /// all sites whose names it alone answers for; hosting: share of all sites
  /// whose origin it runs.
  double share = 0;
};

/// A provider a site keeps working through when its own fails, beside it.
inline constexpr int no_backup = -1;       ///< the site has none
inline constexpr int backup_outside = -2;  ///< one outside the scenario, which never fails

/// Sites that use the same providers.
struct SiteClass {
  std::vector<int> providers;  ///< indices into the ProviderShare list, by role (cdn, dns, hosting)
  std::vector<int> backups;    ///< per provider: no_backup, backup_outside, or the backup's index (same role)
  double share = 0;            ///< of the sites in the band
};

/// Redundancy adopted by a share of the sites (docs/models/population.md,
/// "Mitigations"): of the sites on one of the scenario's CDNs (DNS
/// providers), the share that also use a second one, drawn from the other
/// providers of the role by their market shares, the part of the market
/// outside the scenario included.
struct Adoption {
  double second_cdn = 0;
  double second_dns = 0;
};

/// The classes of sites where a share `cdn_usage` of sites is behind a CDN,
/// with a positive share each; their shares add up to 1. Requires the shares
/// of each role to add up to at most 1.
std::vector<SiteClass> site_classes(std::span<const ProviderShare> providers, double cdn_usage,
                                    const Adoption& adoption = {});

/// Ranks [first, last] (1-based, inclusive) over which CDN use is constant.
struct RankBand {
  long long first = 1;
  long long last = 1;
};

/// The bands of cdn_usage_at_rank covering ranks 1..sites.
std::vector<RankBand> rank_bands(long long sites);

}  // namespace outagesim::models
