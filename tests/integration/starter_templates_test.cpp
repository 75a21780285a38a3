// `outagesim new TEMPLATE NAME`: every starter template is written, validates,
// runs, and shows what its comments promise; an existing file is never
// overwritten.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> templates{"site-cdn-dns", "two-cdns-dns-failover", "cloud-service-chain"};

/// Writes the template as NAME.yaml in a fresh directory, runs it, returns the summary's metrics.
nlohmann::json written_and_run(const std::string& name) {
  const fs::path cwd = fresh_dir("new-" + name);
  Outcome created = outagesim(fmt::format("new {} my-{}", name, name), cwd);
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr(fmt::format("wrote my-{}.yaml", name)));
  Outcome valid = outagesim(fmt::format("validate my-{}.yaml", name), cwd);
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  Outcome run = outagesim(fmt::format("run my-{}.yaml --out run -q", name), cwd);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const auto summary = read_json(cwd / "run" / "summary.json");
  EXPECT_EQ(summary["scenario"], "my-" + name);
  return summary["metrics"];
}

TEST(StarterTemplates, HelpListsEveryTemplate) {
  Outcome o = outagesim("new --help");
  for (const auto& name : templates) EXPECT_THAT(o.out, HasSubstr(name));
}

TEST(StarterTemplates, SiteBehindOneCdnAndOneDnsProvider) {
  const auto m = written_and_run("site-cdn-dns");
  // Both faults hurt the one site; the CDN's bad config is reverted on diagnosis.
  EXPECT_GT(m["faults"]["bad-cdn-config"]["failed_requests"].get<double>(), 0);
  EXPECT_GT(m["faults"]["empty-record"]["failed_requests"].get<double>(), 0);
  EXPECT_FALSE(m["faults"]["bad-cdn-config"]["mitigated_at"].is_null());
  EXPECT_FALSE(m["faults"]["bad-cdn-config"]["detected_at"].is_null());
}

TEST(StarterTemplates, TwoCdnsWithDnsFailover) {
  const auto m = written_and_run("two-cdns-dns-failover");
  // The failover ends the impact long before the operator's revert at +40m:
  // three failed checks 30 s apart, then one TTL (1m) for clients to move.
  ASSERT_FALSE(m["impact_end"].is_null());
  EXPECT_LT(m["impact_end"].get<double>(), 10 * 60 + 3 * 30 + 60 + 60);
  EXPECT_GT(m["failed_requests"].get<double>(), 0);
}

TEST(StarterTemplates, CloudRegionWithAServiceChain) {
  const auto m = written_and_run("cloud-service-chain");
  // The database crash reaches the site through the API; so does the surge.
  EXPECT_GT(m["faults"]["database-crash"]["failed_requests"].get<double>(), 0);
  EXPECT_GT(m["faults"]["api-surge"]["failed_requests"].get<double>(), 0);
}

TEST(StarterTemplates, AnExistingFileIsNeverOverwritten) {
  const fs::path cwd = fresh_dir("new-exists");
  std::ofstream(cwd / "mine.yaml") << "my own work\n";
  Outcome o = outagesim("new site-cdn-dns mine", cwd);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("mine.yaml: it exists already"));
  EXPECT_EQ(slurp(cwd / "mine.yaml"), "my own work\n");
}

TEST(StarterTemplates, BadNamesAndUnknownTemplatesAreRefused) {
  const fs::path cwd = fresh_dir("new-bad");
  EXPECT_EQ(outagesim("new site-cdn-dns 'my site'", cwd).exit_code, 2);
  EXPECT_EQ(outagesim("new no-such-template x", cwd).exit_code, 2);
  EXPECT_TRUE(fs::is_empty(cwd));
}

}  // namespace
}  // namespace outagesim::testing
