// The internet-scale scenarios (scenarios/scale/, written by
// scenarios/scale/generate.py): every one validates through the CLI, their
// populations follow the published shares the generator cites, and the
// smallest runs its whole day. Timings live in bench/ (bench/macro.sh).
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

namespace outagesim {
namespace {

using namespace outagesim::testing;

std::string scale(const std::string& size) {
  return fmt::format("{}/scenarios/scale/internet-{}.yaml", OUTAGESIM_SOURCE_DIR, size);
}

TEST(ScaleScenarios, EveryOneValidates) {
  for (const char* size : {"10k", "100k", "1m", "10m"}) {
    const Outcome o = outagesim(fmt::format("validate '{}'", scale(size)));
    EXPECT_EQ(o.exit_code, 0) << size << ": " << o.err;
    EXPECT_NE(o.out.find("valid"), std::string::npos) << size;
  }
}

TEST(ScaleScenarios, TheShapeIsTheOneAsked) {
  const scenario::Scenario s = scenario::load(scale("10k"));
  EXPECT_EQ(s.traffic.client_regions.size(), 100u);
  EXPECT_EQ(s.traffic.population->mix.size(), 60u);
  int cdns = 0, clouds = 0, dns = 0;
  for (const auto& p : s.providers) {
    if (p.kind == scenario::ProviderKind::cdn) {
      ++cdns;
      int pops = 0;
      for (const auto& i : p.services.front().instances) pops += i.count;
      EXPECT_EQ(pops, 300) << p.name;
    }
    if (p.kind == scenario::ProviderKind::cloud) {
      ++clouds;
      EXPECT_EQ(p.services.size(), 20u) << p.name;
      EXPECT_EQ(p.services.front().instances.size(), 30u) << p.name;
    }
    if (p.kind == scenario::ProviderKind::dns) ++dns;
  }
  EXPECT_EQ(cdns, 5);
  EXPECT_EQ(clouds, 3);
  EXPECT_EQ(dns, 4);
  EXPECT_EQ(s.output.resolution_s, 10);
  EXPECT_EQ(s.duration_s, 86400);
  // The four files differ in the number of sites alone.
  EXPECT_EQ(scenario::load(scale("10m")).traffic.population->sites, 10'000'000);
  EXPECT_EQ(scenario::load(scale("1m")).traffic.population->sites, 1'000'000);
}

/// Sites of a world that need `service_id`.
int users_of(const world::World& w, const std::string& service_id) {
  int service = -1;
  for (std::size_t s = 0; s < w.services.size(); ++s)
    if (w.services[s].id == service_id) service = static_cast<int>(s);
  int n = 0;
  for (const auto& site : w.sites)
    n += std::any_of(site.dependencies.begin(), site.dependencies.end(), [&](const world::Dependency& d) {
      return std::find(d.services.begin(), d.services.end(), service) != d.services.end();
    });
  return n;
}

TEST(ScaleScenarios, PopulationFollowsThePublishedShares) {
  const world::World w = world::build(scenario::load(scale("100k")));
  ASSERT_EQ(w.sites.size(), 100'000u);
  EXPECT_EQ(w.site_classes.size(), 60u);
  // Web Almanac 2025: 49% of the top million behind a CDN, Cloudflare 58% and Fastly 5% of them.
  EXPECT_NEAR(users_of(w, "cloudflare.edge"), 100'000 * 0.49 * 0.58, 2.0);
  EXPECT_NEAR(users_of(w, "fastly.edge"), 100'000 * 0.49 * 0.05, 2.0);
  // Route 53 answers alone for 10% x 84.8/89.2 of the sites.
  EXPECT_NEAR(users_of(w, "route53.ns"), 100'000 * 0.10 * 0.848 / 0.892, 2.0);
}

TEST(ScaleScenarios, TheSmallestRunsItsWholeDay) {
  const world::World w = world::build(scenario::load(scale("10k")));
  const auto dir = fresh_dir("internet-10k");
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", scale("10k"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["status"], "complete");
  EXPECT_EQ(summary["metrics"]["sites"], 10'000);
  // The bad push fails the fl2 PoPs (60%) of Cloudflare from +1h to the revert at +3h:
  // every Cloudflare site loses requests, and the run is impaired from the push on.
  const auto& push = summary["metrics"]["faults"]["bad-push"];
  EXPECT_EQ(push["sites_affected"], users_of(w, "cloudflare.edge"));
  EXPECT_GE(summary["metrics"]["impact_start"].get<double>(), 3600);
  EXPECT_LE(summary["metrics"]["impact_start"].get<double>(), 3600 + 20);
  EXPECT_GT(push["recovered_at"].get<double>(), 3 * 3600);
  EXPECT_LT(summary["metrics"]["availability_min"].get<double>(), 1.0);
}

}  // namespace
}  // namespace outagesim
