// scenarios/examples/population-default-mix.yaml through the CLI: a generated
// population with no mix uses the providers by their published market shares
// (docs/models/population.md). Expected values come from the world's sites
// and the published figures, never from a run.
#include "cli_runner.hpp"
#include "models/web_reference.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

class PopulationDefaultMix : public ::testing::Test {
 protected:
  void SetUp() override { world_ = world::build(scenario::load(example("population-default-mix"))); }

  int service(const std::string& id) const {
    for (std::size_t s = 0; s < world_.services.size(); ++s)
      if (world_.services[s].id == id) return static_cast<int>(s);
    throw std::runtime_error("no service " + id);
  }

  /// The sites (of ranks first..last) that need `service_id`.
  std::vector<const world::Site*> users_of(const std::string& service_id, int first = 1, int last = 1 << 30) const {
    const int s = service(service_id);
    std::vector<const world::Site*> out;
    for (std::size_t rank = 1; rank <= world_.sites.size(); ++rank) {
      if (static_cast<int>(rank) < first || static_cast<int>(rank) > last) continue;
      const auto& site = world_.sites[rank - 1];
      for (const auto& d : site.dependencies)
        if (std::find(d.services.begin(), d.services.end(), s) != d.services.end()) out.push_back(&site);
    }
    return out;
  }

  double rps_share(const std::vector<const world::Site*>& sites) const {
    double part = 0, total = 0;
    for (const auto* s : sites) part += s->rps;
    for (const auto& s : world_.sites) total += s.rps;
    return part / total;
  }

  world::World world_;
};

TEST_F(PopulationDefaultMix, SitesUseEachProviderByItsPublishedShare) {
  ASSERT_EQ(world_.sites.size(), 20'000u);
  // Per band of rank: CDN use (Web Almanac 2025) x the CDN's share of it.
  struct Band {
    int first, last;
  };
  for (const auto& [first, last] : {Band{1, 1'000}, Band{1'001, 10'000}, Band{10'001, 20'000}}) {
    const double sites = last - first + 1;
    const double cdn_use = models::cdn_usage_at_rank(first);
    EXPECT_NEAR(static_cast<double>(users_of("cloudflare.proxy", first, last).size()), sites * cdn_use * 0.58, 1.0);
    EXPECT_NEAR(static_cast<double>(users_of("fastly.edge", first, last).size()), sites * cdn_use * 0.05, 1.0);
    // Route 53 answers alone for 10% x 84.8/89.2 of the sites, in every band.
    EXPECT_NEAR(static_cast<double>(users_of("route53.nameservers", first, last).size()),
                sites * 0.10 * 0.848 / 0.892, 1.0);
  }
  // A site is behind one CDN at most.
  const auto cloudflare = users_of("cloudflare.proxy");
  for (const auto* site : users_of("fastly.edge"))
    EXPECT_EQ(std::find(cloudflare.begin(), cloudflare.end(), site), cloudflare.end()) << site->name;
  // Names follow through caches for the sites' name TTL.
  for (const auto* site : users_of("route53.nameservers")) {
    const auto& d = *std::find_if(site->dependencies.begin(), site->dependencies.end(),
                                  [&](const world::Dependency& x) { return x.services[0] == service("route53.nameservers"); });
    EXPECT_TRUE(d.cached);
    EXPECT_DOUBLE_EQ(d.ttl_s, 60);
  }
}

TEST_F(PopulationDefaultMix, AnOutageTakesDownExactlyTheSitesThatUseTheProvider) {
  const auto dir = run_example("population-default-mix");
  const auto availability = read_series(dir, "global", "", "availability");
  const auto down = read_series(dir, "global", "", "sites_down");

  // The bad push (+10m) reaches every PoP within a second; the revert at +40m.
  const auto cloudflare = users_of("cloudflare.proxy");
  for (double v : inside(availability, 600 + 1, 2400)) EXPECT_NEAR(v, 1 - rps_share(cloudflare), 1e-9);
  for (double v : inside(down, 600 + 1, 2400)) EXPECT_EQ(v, static_cast<double>(cloudflare.size()));

  // Route 53 is down from +60m for 10m: its sites fail once the 60 s TTL of
  // their names has run out, and come back when it answers again.
  const auto route53 = users_of("route53.nameservers");
  ASSERT_FALSE(inside(availability, 3600 + 60, 4200).empty());
  for (double v : inside(availability, 3600 + 60, 4200)) EXPECT_NEAR(v, 1 - rps_share(route53), 1e-9);
  for (double v : inside(down, 3600 + 60, 4200)) EXPECT_EQ(v, static_cast<double>(route53.size()));
  for (double v : inside(availability, 4200, 5400)) EXPECT_DOUBLE_EQ(v, 1.0);
}

}  // namespace
}  // namespace outagesim
