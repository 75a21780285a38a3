// concentration.csv of `outagesim risk` (docs/risk.md, "Concentration"): per
// provider role, how concentrated the scenario's sites are on its providers
// (Herfindahl-Hirschman index) and how many sites have a single point of
// failure there, directly and through the providers' own providers, beside
// the published static figures (Kashaf, Sekar and Agarwal, IMC 2020).
#pragma once

#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace outagesim::experiment {

struct ConcentrationRow {
  std::string role;      ///< cdn, dns, cloud, saas; "any" for every role at once
  std::string provider;  ///< empty: the role as a whole
  std::size_t sites = 0;  ///< sites that name one of its services (the role's: any of its providers')
  std::optional<double> share;  ///< provider rows: its share of the role's site dependencies
  std::optional<double> hhi;    ///< role rows: sum of the squared shares in percent (10,000: a monopoly)
  double critical_direct_share = 0;      ///< of all sites: fail when it (the role: one of its providers) fails, by their own dependencies
  double critical_transitive_share = 0;  ///< the same, through the services they depend on as well
  std::optional<double> published;       ///< the published static figure for the same share, when there is one
  std::string published_source;
  /// Role rows: the share of all sites the role's three largest providers
  /// can affect (a dependency reaching one of their services, directly or
  /// through other services), failing or not; published: 50-70% of the top
  /// 100K for CDN, DNS or CA (Kashaf et al. 2020).
  std::optional<double> top3_affected_share;
};

std::vector<ConcentrationRow> concentration_of(const scenario::Scenario& scenario, const world::World& world);

void write_concentration_csv(std::ostream& out, const std::vector<ConcentrationRow>& rows);

/// Whether a site with `dependencies` fails when every service in `failed`
/// (per service, 1 = failed) fails: a hard or cached dependency on all its
/// requests fails with its target, any_of when every alternative fails,
/// k_of_n when fewer than k are left; soft ones and partial shares do not
/// take a site down.
bool fails_with(const std::vector<world::Dependency>& dependencies, const std::vector<char>& failed);

}  // namespace outagesim::experiment
