#include "web_reference.hpp"

#include <array>
#include <cctype>

namespace outagesim::models {
namespace {

struct KnownShare {
  std::string_view name;  ///< normalised: lower case letters and digits
  double share;
};

// Web Almanac 2025, CDN chapter, "top CDNs for base HTML" (shares of the
// pages served through a CDN). Aliases name the same provider.
constexpr std::array cdn_shares{
    KnownShare{"cloudflare", 0.58},       KnownShare{"google", 0.21},     KnownShare{"googlecloudcdn", 0.21},
    KnownShare{"cloudfront", 0.07},       KnownShare{"amazoncloudfront", 0.07},
    KnownShare{"awscloudfront", 0.07},    KnownShare{"fastly", 0.05},     KnownShare{"akamai", 0.02},
    KnownShare{"vercel", 0.02},
};

// Top-100K sites' authoritative DNS, August 2017 (chameth.com survey).
constexpr std::array dns_shares{
    KnownShare{"cloudflare", 0.19},  KnownShare{"route53", 0.10},     KnownShare{"awsroute53", 0.10},
    KnownShare{"amazonroute53", 0.10}, KnownShare{"godaddy", 0.04},   KnownShare{"dnspod", 0.03},
    KnownShare{"dyn", 0.02},         KnownShare{"akamai", 0.02},      KnownShare{"dnsmadeeasy", 0.02},
    KnownShare{"hichina", 0.01},     KnownShare{"ultradns", 0.01},    KnownShare{"namecheap", 0.01},
    KnownShare{"googleclouddns", 0.004},
};

std::string normalised(std::string_view name) {
  std::string out;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c))) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::span<const KnownShare> table(ProviderRole role) {
  switch (role) {
    case ProviderRole::cdn: return cdn_shares;
    case ProviderRole::dns: return dns_shares;
    case ProviderRole::hosting: break;  // no published share of sites per cloud
  }
  return {};
}

}  // namespace

// Cumulative shares of the top 1K, 10K, 100K, 1M and 10M sites behind a CDN
// (0.71, 0.70, 0.62, 0.49, 0.35), as shares within each band of rank:
// (top_N x N - top_M x M) / (N - M).
constexpr std::array<CdnUsageBand, 5> bands{{
    {1'000, 0.71},
    {10'000, (0.70 * 10'000 - 0.71 * 1'000) / 9'000},
    {100'000, (0.62 * 100'000 - 0.70 * 10'000) / 90'000},
    {1'000'000, (0.49 * 1'000'000 - 0.62 * 100'000) / 900'000},
    {10'000'000, (0.35 * 10'000'000 - 0.49 * 1'000'000) / 9'000'000},
}};

std::span<const CdnUsageBand> cdn_usage_bands() { return bands; }

double cdn_usage_at_rank(long long rank) {
  for (const auto& band : bands)
    if (rank <= band.last_rank) return band.cdn_usage;
  return bands.back().cdn_usage;
}

std::optional<double> reference_market_share(ProviderRole role, std::string_view provider_name) {
  const std::string key = normalised(provider_name);
  for (const auto& known : table(role))
    if (known.name == key) return known.share;
  return std::nullopt;
}

std::vector<std::string> known_provider_names(ProviderRole role) {
  std::vector<std::string> names;
  for (const auto& known : table(role)) names.emplace_back(known.name);
  return names;
}

}  // namespace outagesim::models
