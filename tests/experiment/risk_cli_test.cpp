// `outagesim risk` through the real binary (docs/risk.md): the cases of a
// small population scenario, their ranking, properties of the blast radius
// (a component no site depends on has none; a second CDN for every site
// never makes a CDN's larger), concentration (a monopoly's HHI is 10,000),
// risk.csv byte-identical across --jobs, and the mitigation curves
// (a second CDN, the names' TTL) with their knees.
#include "../integration/cli_runner.hpp"

#include <gtest/gtest.h>

#include <map>

namespace outagesim::testing {
namespace {

std::string scenario_path(const std::string& relative) {
  return fmt::format("{}/scenarios/{}", OUTAGESIM_SOURCE_DIR, relative);
}

/// risk.csv or concentration.csv as rows of named cells.
std::vector<std::map<std::string, std::string>> read_csv(const fs::path& path) {
  std::istringstream in(slurp(path));
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else cell += c;
    }
    cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t k = 0; k < header.size() && k < cells.size(); ++k) row[header[k]] = cells[k];
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::map<std::string, std::string>& row_of(const std::vector<std::map<std::string, std::string>>& rows,
                                                  const std::string& kind, const std::string& component) {
  for (const auto& r : rows)
    if (r.at("kind") == kind && r.at("component") == component) return r;
  throw std::runtime_error("no row " + kind + " " + component);
}

double number(const std::map<std::string, std::string>& row, const std::string& column) {
  return std::stod(row.at(column));
}

/// One risk map of small-web.yaml shared by the tests (about a minute of runs).
const fs::path& small_web_map() {
  static const fs::path out = [] {
    const fs::path dir = fresh_dir("risk-small-web");
    const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --jobs 2", scenario_path("risk/small-web.yaml"),
                                            dir.string()));
    EXPECT_EQ(o.exit_code, 0) << o.err;
    EXPECT_NE(o.out.find("risk small-web: "), std::string::npos) << o.out;
    return dir;
  }();
  return out;
}

TEST(RiskCli, EveryComponentIsFailedAndRankedByAvailabilityLost) {
  const auto rows = read_csv(small_web_map() / "risk.csv");
  // Every provider (Route 53 as a DNS provider), AWS's two services (the
  // others are their provider's only one), the 3 regions, the one channel.
  std::map<std::string, int> kinds;
  for (const auto& r : rows) ++kinds[r.at("kind")];
  EXPECT_EQ(kinds["provider"], 4);
  EXPECT_EQ(kinds["dns_provider"], 1);
  EXPECT_EQ(kinds["service"], 2);
  EXPECT_EQ(kinds["region"], 3);
  EXPECT_EQ(kinds["channel"], 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    EXPECT_EQ(rows[k].at("rank"), std::to_string(k + 1));
    EXPECT_EQ(rows[k].at("ok"), "1");
    if (k > 0) {
      EXPECT_GE(number(rows[k - 1], "availability_lost_mean"), number(rows[k], "availability_lost_mean"));
    }
  }
  // Cloudflare fronts most CDN users; its outage and its bad push take its sites down.
  const auto& cloudflare = row_of(rows, "provider", "cloudflare");
  EXPECT_GT(number(cloudflare, "sites_down_mean"), 100);
  EXPECT_GT(number(cloudflare, "availability_lost_mean"), 0.05);
  EXPECT_NEAR(number(row_of(rows, "channel", "cloudflare.features"), "sites_down_mean"),
              number(cloudflare, "sites_down_mean"), 0.5);
  // AWS hosts no site itself: its damage is Cloudflare's customers', through Cloudflare's dependency.
  const auto& aws = row_of(rows, "provider", "aws");
  EXPECT_EQ(aws.at("indirect_exposure_share"), "1");
  EXPECT_NEAR(number(aws, "sites_down_mean"), number(cloudflare, "sites_down_mean"), 0.5);
  EXPECT_EQ(number(row_of(rows, "service", "aws.compute"), "sites_down_mean"), 0);
  EXPECT_EQ(cloudflare.at("indirect_exposure_share"), "0");
}

TEST(RiskCli, AComponentNoSiteDependsOnHasNoBlastRadius) {
  const auto rows = read_csv(small_web_map() / "risk.csv");
  for (const auto& [kind, name] : std::vector<std::pair<std::string, std::string>>{
           {"provider", "unused-saas"}, {"service", "aws.compute"}}) {
    const auto& r = row_of(rows, kind, name);
    for (const char* m : {"sites_down_mean", "availability_lost_mean", "failed_requests_mean",
                          "request_minutes_lost_mean", "time_to_recover_s_mean", "exposed_rps_share"})
      EXPECT_EQ(number(r, m), 0) << name << " " << m;
    EXPECT_EQ(r.at("indirect_exposure_share"), "") << name;
  }
}

TEST(RiskCli, ConcentrationOfTheSmallWeb) {
  const auto rows = read_csv(small_web_map() / "concentration.csv");
  std::map<std::string, std::map<std::string, std::string>> by;
  for (const auto& r : rows) by[r.at("role") + "/" + r.at("provider")] = r;
  // One DNS provider: a monopoly of the scenario's DNS market.
  EXPECT_EQ(by.at("dns/").at("hhi"), "10000");
  EXPECT_EQ(by.at("dns/").at("published"), "0.848");
  // Two CDNs: HHI between 5,000 (an even split) and 10,000.
  const double cdn_hhi = std::stod(by.at("cdn/").at("hhi"));
  EXPECT_GT(cdn_hhi, 5000);
  EXPECT_LT(cdn_hhi, 10000);
  // The cloud hosts no site: no direct single point of failure, yet every
  // Cloudflare site fails with it through Cloudflare's own dependency.
  EXPECT_EQ(std::stod(by.at("cloud/aws").at("critical_direct_share")), 0);
  EXPECT_EQ(by.at("cloud/aws").at("critical_transitive_share"), by.at("cdn/cloudflare").at("critical_direct_share"));
  EXPECT_GT(std::stod(by.at("any/").at("critical_transitive_share")), std::stod(by.at("cdn/").at("critical_direct_share")));
  // Two CDNs: their top 3 is both, and they can affect every site behind
  // either; the cloud's top 3 reaches Cloudflare's sites through Cloudflare.
  EXPECT_DOUBLE_EQ(std::stod(by.at("cdn/").at("top3_affected_share")), std::stod(by.at("cdn/").at("sites")) / 2000);
  EXPECT_EQ(by.at("cloud/").at("top3_affected_share"), by.at("cdn/cloudflare").at("critical_transitive_share"));
  EXPECT_EQ(by.at("cdn/cloudflare").at("top3_affected_share"), "");
}

TEST(RiskCli, RiskCsvIsByteIdenticalForOneAndTwoJobs) {
  const fs::path one = fresh_dir("risk-jobs1");
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --jobs 1 --fault bad_push --fault outage",
                                          scenario_path("risk/small-web.yaml"), one.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // The shared map ran every template at --jobs 2: its rows for these templates, in rank order, are these.
  const auto rows_one = read_csv(one / "risk.csv");
  const auto rows_two = read_csv(small_web_map() / "risk.csv");
  std::vector<std::map<std::string, std::string>> kept;
  for (auto r : rows_two)
    if (r.at("template") != "regional") kept.push_back(r);
  ASSERT_EQ(rows_one.size(), kept.size());
  for (std::size_t k = 0; k < kept.size(); ++k) {
    auto a = rows_one[k], b = kept[k];
    a.erase("rank");
    b.erase("rank");
    EXPECT_EQ(a, b) << k;
  }
  const fs::path again = fresh_dir("risk-jobs2");
  ASSERT_EQ(outagesim(fmt::format("risk '{}' --out '{}' --jobs 2 --fault bad_push --fault outage",
                                  scenario_path("risk/small-web.yaml"), again.string()))
                .exit_code,
            0);
  EXPECT_EQ(slurp(one / "risk.csv"), slurp(again / "risk.csv"));
  EXPECT_EQ(slurp(one / "concentration.csv"), slurp(again / "concentration.csv"));
}

TEST(RiskCli, ASecondCdnForEverySiteNeverEnlargesACdnsBlastRadius) {
  // The same web with every generated site behind Cloudflare or Fastly,
  // whichever is up (a mix of one class: any_of both CDNs).
  const fs::path dir = fresh_dir("risk-multi-cdn");
  std::string text = slurp(scenario_path("risk/small-web.yaml"));
  text += "    mix:\n      - {name: multi-cdn, share: 100%, depends_on: [{kind: any_of, targets: [cloudflare.proxy, fastly.edge]}]}\n";
  std::ofstream(dir / "multi.yaml") << text;
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --jobs 2 --fault outage",
                                          (dir / "multi.yaml").string(), (dir / "out").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto multi = read_csv(dir / "out" / "risk.csv");
  const auto single = read_csv(small_web_map() / "risk.csv");
  for (const char* cdn : {"cloudflare", "fastly"}) {
    EXPECT_LE(number(row_of(multi, "provider", cdn), "sites_down_mean"),
              number(row_of(single, "provider", cdn), "sites_down_mean")) << cdn;
    EXPECT_LE(number(row_of(multi, "provider", cdn), "availability_lost_mean"),
              number(row_of(single, "provider", cdn), "availability_lost_mean") + 1e-12) << cdn;
    EXPECT_EQ(number(row_of(multi, "provider", cdn), "sites_down_mean"), 0) << cdn;
  }
}

TEST(RiskCli, BadInputIsRefusedWithItsLocation) {
  const fs::path dir = fresh_dir("risk-bad");
  std::ofstream(dir / "bad.yaml") << "scenario:\n  name: bad\n  duration: 1h\nproviders:\n  - name: x\n    kind: nope\n";
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}'", (dir / "bad.yaml").string(), (dir / "out").string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("bad.yaml:6:"), std::string::npos) << o.err;
  const Outcome f = outagesim(fmt::format("risk '{}' --fault meteor", scenario_path("risk/small-web.yaml")));
  EXPECT_EQ(f.exit_code, 2);
  const Outcome set = outagesim(fmt::format("risk '{}' --out '{}' --set scenario.duraton=2h",
                                            scenario_path("risk/small-web.yaml"), (dir / "set").string()));
  EXPECT_EQ(set.exit_code, 2);
  EXPECT_NE(set.err.find("did you mean 'duration'?"), std::string::npos) << set.err;
}

TEST(RiskCli, SetChangesTheScenarioTheMapRuns) {
  // Cloudflare's bad push on a web of 3 hours: the map's base says so, and
  // the loss over the longer run is that of the same 30 minutes, diluted.
  const fs::path dir = fresh_dir("risk-set");
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --jobs 2 --fault bad_push --set scenario.duration=3h",
                                          scenario_path("risk/small-web.yaml"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(slurp(dir / "experiment" / "base.yaml").find("duration: 3h"), std::string::npos);
  const auto longer = row_of(read_csv(dir / "risk.csv"), "channel", "cloudflare.features");
  const auto hour = row_of(read_csv(small_web_map() / "risk.csv"), "channel", "cloudflare.features");
  EXPECT_EQ(longer.at("sites_down_mean"), hour.at("sites_down_mean"));
  EXPECT_NEAR(number(longer, "availability_lost_mean"), number(hour, "availability_lost_mean") / 3,
              0.02 * number(hour, "availability_lost_mean"));
}

/// mitigation.csv's points of one case, in level order.
std::vector<std::map<std::string, std::string>> curve_of(const std::vector<std::map<std::string, std::string>>& rows,
                                                          const std::string& kind, const std::string& component) {
  std::vector<std::map<std::string, std::string>> curve;
  for (const auto& r : rows)
    if (r.at("kind") == kind && r.at("component") == component) curve.push_back(r);
  return curve;
}

TEST(RiskCli, ASecondCdnAdoptedByMoreSitesNeverEnlargesABlastRadius) {
  const fs::path dir = fresh_dir("risk-second-cdn");
  const Outcome o = outagesim(fmt::format(
      "risk '{}' --out '{}' --jobs 2 --fault outage --vary 'traffic.population.adoption.second_cdn=[0%, 50%, 100%]'",
      scenario_path("risk/small-web.yaml"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto points = read_csv(dir / "mitigation.csv");
  const auto map = read_csv(dir / "risk.csv");
  for (const char* cdn : {"cloudflare", "fastly"}) {
    const auto curve = curve_of(points, "provider", cdn);
    ASSERT_EQ(curve.size(), 3u) << cdn;
    EXPECT_EQ(curve[0].at("parameter"), "traffic.population.adoption.second_cdn");
    EXPECT_EQ(curve[2].at("value"), "100%");
    EXPECT_EQ(number(curve[2], "x"), 100);
    // No adoption is the scenario as written: the map's own row.
    EXPECT_EQ(curve[0].at("sites_down_mean"), row_of(map, "provider", cdn).at("sites_down_mean")) << cdn;
    for (std::size_t k = 1; k < curve.size(); ++k) {
      EXPECT_LE(number(curve[k], "sites_down_mean"), number(curve[k - 1], "sites_down_mean")) << cdn << k;
      EXPECT_LE(number(curve[k], "availability_lost_mean"), number(curve[k - 1], "availability_lost_mean") + 1e-12)
          << cdn << k;
    }
    // Every site with a second CDN survives its first's outage.
    EXPECT_GT(number(curve[0], "sites_down_mean"), 0) << cdn;
    EXPECT_EQ(number(curve[2], "sites_down_mean"), 0) << cdn;
  }
  // Route 53 is no CDN: a second CDN leaves its sites alone, up to the
  // rounding of a fresh deal of ranks to classes (docs/models/population.md).
  const auto dns = curve_of(points, "dns_provider", "route53");
  ASSERT_EQ(dns.size(), 3u);
  for (const auto& p : dns) {
    EXPECT_NEAR(number(p, "sites_down_mean"), number(dns[0], "sites_down_mean"), 1.0);
    EXPECT_EQ(p.at("knee"), "");
  }
  const std::string page = slurp(dir / "risk.html");
  EXPECT_NE(page.find("id=\"chart-risk-ranking\""), std::string::npos);
  EXPECT_NE(page.find("id=\"chart-risk-mitigation\""), std::string::npos);
  EXPECT_NE(page.find("id=\"concentration-table\""), std::string::npos);
}

TEST(RiskCli, LongerNamesShrinkADnsOutageAndTheKneeIsTheOutagesLength) {
  // Route 53's outage lasts D = 30 minutes (docs/risk.md, "Fault templates",
  // for a run of an hour). A client's cached answer has a remaining life
  // spread evenly over [0, TTL] when the outage starts (docs/models/dns.md),
  // so with TTL >= D the share failing grows as t / TTL and the loss is
  // D^2 / (2 TTL): halved from TTL = D to 2D. Below D it falls in a straight
  // line (D - TTL / 2): the curve bends at TTL = D, the knee of these levels.
  const fs::path dir = fresh_dir("risk-dns-ttl");
  const Outcome o = outagesim(fmt::format(
      "risk '{}' --out '{}' --jobs 2 --fault outage --vary 'traffic.population.adoption.dns_ttl=[1m, 10m, 30m, 60m]'",
      scenario_path("risk/small-web.yaml"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto curve = curve_of(read_csv(dir / "mitigation.csv"), "dns_provider", "route53");
  ASSERT_EQ(curve.size(), 4u);
  for (std::size_t k = 1; k < curve.size(); ++k)
    EXPECT_LT(number(curve[k], "availability_lost_mean"), number(curve[k - 1], "availability_lost_mean")) << k;
  EXPECT_NEAR(number(curve[3], "availability_lost_mean"), number(curve[2], "availability_lost_mean") / 2,
              1e-9 * number(curve[2], "availability_lost_mean"));
  std::vector<std::string> knees;
  for (const auto& p : curve)
    if (!p.at("knee").empty()) knees.push_back(p.at("value"));
  EXPECT_EQ(knees, std::vector<std::string>{"30m"});
  EXPECT_NE(slurp(dir / "risk.html").find("class=\"knee\""), std::string::npos);
}

TEST(RiskCli, AnotherMapInTheSameDirectoryIsRefusedAndItsSweepFilesKept) {
  const fs::path dir = fresh_dir("risk-another-map");
  const std::string command =
      fmt::format("risk '{}' --out '{}' --jobs 2 --fault bad_push", scenario_path("risk/small-web.yaml"), dir.string());
  ASSERT_EQ(outagesim(command).exit_code, 0);
  const std::string spec = slurp(dir / "experiment" / "risk-sweep.yaml"), base = slurp(dir / "experiment" / "base.yaml");
  const std::string ranking = slurp(dir / "risk.csv");
  for (const std::string other : {" --fault outage", " --set traffic.timeout=5s"}) {
    const Outcome o = outagesim(command + other);
    EXPECT_EQ(o.exit_code, 2) << other;
    EXPECT_NE(o.err.find("it holds the runs of another map"), std::string::npos) << o.err;
    EXPECT_EQ(slurp(dir / "experiment" / "risk-sweep.yaml"), spec) << other;
    EXPECT_EQ(slurp(dir / "experiment" / "base.yaml"), base) << other;
    EXPECT_EQ(slurp(dir / "risk.csv"), ranking) << other;
  }
  // The same map again only ranks from its journal.
  const Outcome again = outagesim(command);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("from the journal"), std::string::npos) << again.out;
}

TEST(RiskCli, ABadPushFailsEveryServiceItsChannelFeeds) {
  // The vendor's content channel feeds its own agents and, through
  // `also_feeds`, two customers' fleets: its bad push is all three sites'
  // failure, as each of the three services' outage is one site's.
  const fs::path dir = fresh_dir("risk-channel-feeds");
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --jobs 2 --fault bad_push --fault outage",
                                          scenario_path("examples/config-vendor-content.yaml"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto rows = read_csv(dir / "risk.csv");
  const auto& push = row_of(rows, "channel", "sec.content");
  EXPECT_EQ(number(push, "sites_down_mean"), 3);
  EXPECT_EQ(push.at("rank"), "1");
  for (const char* provider : {"sec", "bank", "airline"})
    EXPECT_EQ(number(row_of(rows, "provider", provider), "sites_down_mean"), 1) << provider;
  // Its exposure is the three sites' traffic: all of it.
  EXPECT_DOUBLE_EQ(number(push, "exposed_rps_share"), 1.0);
}

TEST(RiskCli, ABadVariationIsRefusedBeforeAnyRun) {
  const fs::path dir = fresh_dir("risk-bad-vary");
  for (const char* vary : {"no-equals-sign", "traffic.population.adoption.second_cdn=[50%]",
                           "traffic.population.adoption.second_cdn=50%"}) {
    const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --vary '{}'", scenario_path("risk/small-web.yaml"),
                                            (dir / "a").string(), vary));
    EXPECT_EQ(o.exit_code, 2) << vary;
    EXPECT_NE(o.err.find("expected PATH=[V1, V2, ...]"), std::string::npos) << o.err;
  }
  const Outcome units = outagesim(fmt::format("risk '{}' --out '{}' --vary 'traffic.population.adoption.dns_ttl=[30m, 1h]'",
                                              scenario_path("risk/small-web.yaml"), (dir / "a").string()));
  EXPECT_EQ(units.exit_code, 2);
  EXPECT_NE(units.err.find("different units"), std::string::npos) << units.err;
  EXPECT_FALSE(fs::exists(dir / "a"));
  // A level the scenario refuses is found where the generated sweep says it, before the map runs.
  const Outcome o = outagesim(fmt::format("risk '{}' --out '{}' --vary 'traffic.population.adoption.second_cdn=[0%, 150%]'",
                                          scenario_path("risk/small-web.yaml"), (dir / "b").string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("mitigation-sweep.yaml:"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir / "b" / "experiment" / "results.csv"));
  EXPECT_FALSE(fs::exists(dir / "b" / "risk.csv"));
}

}  // namespace
}  // namespace outagesim::testing
