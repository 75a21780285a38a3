#include "models/site_mix.hpp"
#include "models/web_reference.hpp"

#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>

namespace outagesim::models {
namespace {

TEST(WebReference, CdnUseByBandReproducesThePublishedTopNShares) {
  EXPECT_DOUBLE_EQ(cdn_usage_at_rank(1), 0.71);
  EXPECT_DOUBLE_EQ(cdn_usage_at_rank(1'000), 0.71);
  // The bands are derived from cumulative figures: averaging them over the
  // top N gives back the published top-N share.
  auto top = [](long long n) {
    double behind = 0;
    long long previous = 0;
    for (const auto& band : cdn_usage_bands()) {
      const long long last = std::min(band.last_rank, n);
      behind += band.cdn_usage * static_cast<double>(last - previous);
      previous = last;
      if (last == n) break;
    }
    return behind / static_cast<double>(n);
  };
  EXPECT_NEAR(top(10'000), 0.70, 1e-12);
  EXPECT_NEAR(top(100'000), 0.62, 1e-12);
  EXPECT_NEAR(top(1'000'000), 0.49, 1e-12);
  EXPECT_NEAR(top(10'000'000), 0.35, 1e-12);
  EXPECT_DOUBLE_EQ(cdn_usage_at_rank(50'000'000), cdn_usage_at_rank(10'000'000));
}

TEST(WebReference, NamesMatchWithoutCaseOrPunctuation) {
  EXPECT_EQ(reference_market_share(ProviderRole::cdn, "Cloudflare"), 0.58);
  EXPECT_EQ(reference_market_share(ProviderRole::dns, "cloudflare"), 0.19);
  EXPECT_EQ(reference_market_share(ProviderRole::dns, "AWS-Route53"), 0.10);
  EXPECT_EQ(reference_market_share(ProviderRole::cdn, "aws_cloudfront"), 0.07);
  EXPECT_FALSE(reference_market_share(ProviderRole::cdn, "my-edge"));
  EXPECT_FALSE(reference_market_share(ProviderRole::hosting, "aws"));  // no published share of sites per cloud
  EXPECT_FALSE(known_provider_names(ProviderRole::cdn).empty());
  EXPECT_TRUE(known_provider_names(ProviderRole::hosting).empty());
}

TEST(SiteMix, RolesAreIndependentAndCdnShareScalesWithUse) {
  // Two CDNs (60% and 10% of CDN users), one DNS provider (20% of sites).
  const std::vector<ProviderShare> providers{
      {ProviderRole::cdn, 0.6}, {ProviderRole::cdn, 0.1}, {ProviderRole::dns, 0.2}};
  const auto classes = site_classes(providers, 0.5);
  ASSERT_EQ(classes.size(), 6u);  // {cdn0, cdn1, none} x {dns, none}
  double total = 0;
  for (const auto& c : classes) total += c.share;
  EXPECT_NEAR(total, 1.0, 1e-12);
  auto share_of = [&](std::vector<int> providers_used) {
    for (const auto& c : classes)
      if (c.providers == providers_used) return c.share;
    return -1.0;
  };
  EXPECT_NEAR(share_of({0, 2}), 0.5 * 0.6 * 0.2, 1e-12);
  EXPECT_NEAR(share_of({1}), 0.5 * 0.1 * 0.8, 1e-12);
  EXPECT_NEAR(share_of({2}), (1 - 0.5 * 0.7) * 0.2, 1e-12);
  EXPECT_NEAR(share_of({}), (1 - 0.5 * 0.7) * 0.8, 1e-12);
}

TEST(SiteMix, ClassesWithNoSitesAreLeftOut) {
  // A CDN taking every CDN user, at full CDN use: no site is without it.
  const std::vector<ProviderShare> providers{{ProviderRole::cdn, 1.0}};
  const auto classes = site_classes(providers, 1.0);
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(classes[0].providers, std::vector<int>{0});
  EXPECT_DOUBLE_EQ(classes[0].share, 1.0);
  EXPECT_EQ(site_classes({}, 0.7).size(), 1u);  // no providers: every site is elsewhere
}

TEST(SiteMix, RankBandsCoverEveryRankOnce) {
  const auto bands = rank_bands(25'000);
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_EQ(bands[0].first, 1);
  EXPECT_EQ(bands[0].last, 1'000);
  EXPECT_EQ(bands[1].first, 1'001);
  EXPECT_EQ(bands[1].last, 10'000);
  EXPECT_EQ(bands[2].first, 10'001);
  EXPECT_EQ(bands[2].last, 25'000);
  EXPECT_EQ(rank_bands(500).size(), 1u);
  EXPECT_EQ(rank_bands(500)[0].last, 500);
  const auto beyond = rank_bands(12'000'000);
  EXPECT_EQ(beyond.back().first, 10'000'001);
  EXPECT_EQ(beyond.back().last, 12'000'000);
}

TEST(SiteMix, AdoptedBackupsSplitEachProvidersSitesByTheOthersShares) {
  // Two CDNs (60% and 10% of CDN users), two DNS providers (20% and 5% of sites).
  const std::vector<ProviderShare> providers{
      {ProviderRole::cdn, 0.6}, {ProviderRole::cdn, 0.1}, {ProviderRole::dns, 0.2}, {ProviderRole::dns, 0.05}};
  const double use = 0.5;
  const auto plain = site_classes(providers, use);
  const auto adopted = site_classes(providers, use, Adoption{.second_cdn = 0.3, .second_dns = 0.4});
  double total = 0;
  auto share_with = [&](int provider, int backup) {
    double share = 0;
    for (const auto& c : adopted)
      for (std::size_t i = 0; i < c.providers.size(); ++i)
        if (c.providers[i] == provider && c.backups[i] == backup) share += c.share;
    return share;
  };
  for (const auto& c : adopted) {
    total += c.share;
    ASSERT_EQ(c.backups.size(), c.providers.size());
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  // Adoption moves sites between classes; each provider keeps its users.
  for (int p = 0; p < 4; ++p) {
    double before = 0, after = 0;
    for (const auto& c : plain)
      before += std::count(c.providers.begin(), c.providers.end(), p) > 0 ? c.share : 0;
    for (const auto& c : adopted)
      after += std::count(c.providers.begin(), c.providers.end(), p) > 0 ? c.share : 0;
    EXPECT_NEAR(after, before, 1e-12) << p;
  }
  // CDN 0 (30% of CDN users): 70% keep no backup; the 30% with one take
  // CDN 1 by its share of the rest of the market (0.1 / 0.4), else outside.
  EXPECT_NEAR(share_with(0, no_backup), use * 0.6 * 0.7, 1e-12);
  EXPECT_NEAR(share_with(0, 1), use * 0.6 * 0.3 * (0.1 / 0.4), 1e-12);
  EXPECT_NEAR(share_with(0, backup_outside), use * 0.6 * 0.3 * (1 - 0.1 / 0.4), 1e-12);
  EXPECT_NEAR(share_with(3, 2), 0.05 * 0.4 * (0.2 / 0.95), 1e-12);
  // Hosting has no adoption knob; no backup without adoption.
  for (const auto& c : plain)
    for (int b : c.backups) EXPECT_EQ(b, no_backup);
}

}  // namespace
}  // namespace outagesim::models
