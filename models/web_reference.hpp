// What the public record says about how websites depend on third-party
// infrastructure (../shared/reference/dependencies.yaml; each figure and its
// source is listed in docs/models/population.md). Used to give generated site
// populations a realistic dependency mix when a scenario does not give one.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::models {

/// What a provider does for the sites that use it.
enum class ProviderRole {
  cdn,      ///< serves the site in front of its origin
  dns,      ///< answers for the site's names
  hosting,  ///< runs the site's origin (clouds, SaaS)
};

/// Sites of rank up to `last_rank` (and above the previous band's) of which a
/// share `cdn_usage` sit behind a CDN.
struct CdnUsageBand {
  long long last_rank = 0;
  double cdn_usage = 0;
};

/// CDN use by popularity (rank 1: the most popular site of the web): HTTP
/// Archive Web Almanac 2025, turned from its cumulative "top N" figures into
/// bands of rank. Ranks beyond the last band use its figure.
std::span<const CdnUsageBand> cdn_usage_bands();

/// Share of the sites at popularity rank `rank` that sit behind a CDN.
double cdn_usage_at_rank(long long rank);

/// The published market share of a provider known by name: for a CDN, its
/// share of the sites behind a CDN (Web Almanac 2025, base HTML); for DNS, its
/// share of the top-100K sites' authoritative DNS (2017 survey). Names match
/// without regard to case and punctuation ("AWS-Route53" is "awsroute53").
/// nullopt when the role has no published figure for that name.
std::optional<double> reference_market_share(ProviderRole role, std::string_view provider_name);

/// The names reference_market_share knows for `role`, for diagnostics.
std::vector<std::string> known_provider_names(ProviderRole role);

/// Of the sites using a third-party DNS provider, the share using one alone
/// with no backup: 84.8% of the top-100K rely on a single provider, 89.2% use
/// a third-party one (Kashaf et al., IMC 2020).
inline constexpr double sole_dns_provider_share = 0.848 / 0.892;

/// TTL of the first name a site needs: the median over the Alexa top-1M of
/// each site's smallest TTL among its own names is 60 s (Pulls, 2016).
inline constexpr double site_name_ttl_s = 60;

}  // namespace outagesim::models
