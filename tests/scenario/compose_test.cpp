// `use:` templates, `params:` and their interplay with `--set`.
#include "sim/scenario/loader.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::scenario {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class Compose : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("outagesim-compose-{}-{}", getpid(),
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "providers");
    fs::create_directories(dir_ / "deep" / "er");
    write("providers/edge.yaml",
          "kind: cdn\n"
          "services:\n"
          "  - name: proxy\n"
          "    instances: {eu-west: 2, na-east: 2}\n"
          "    capacity: 10k rps\n"
          "  - name: waf\n"
          "    instances: {eu-west: 1}\n"
          "    capacity: 5k rps\n"
          "channels:\n"
          "  - {name: rules, consumers: proxy, origin: eu-west, size: 1MB}\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }

  static std::string scenario(const std::string& provider_entry, const std::string& extra = "") {
    return "scenario: {name: c, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
           "providers:\n" +
           provider_entry + "sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]\n" + extra;
  }

  Scenario load_file(const std::string& name, const std::vector<Override>& overrides = {}) {
    return load((dir_ / name).string(), overrides);
  }

  std::vector<Diagnostic> diagnostics(const std::string& name, const std::vector<Override>& overrides = {}) {
    try {
      load_file(name, overrides);
    } catch (const ScenarioError& e) {
      return e.diagnostics();
    }
    ADD_FAILURE() << "expected an error";
    return {};
  }

  fs::path dir_;
};

TEST_F(Compose, TemplateFillsInWhatTheEntryLeavesOut) {
  write("s.yaml", scenario("  - {name: cdn, use: edge}\n"));
  Scenario s = load_file("s.yaml");
  ASSERT_EQ(s.providers.size(), 1u);
  const auto& p = s.providers[0];
  EXPECT_EQ(p.use, "edge");
  ASSERT_EQ(p.services.size(), 2u);
  EXPECT_DOUBLE_EQ(p.services[0].capacity_rps, 10e3);
  ASSERT_EQ(p.channels.size(), 1u);
  EXPECT_EQ(p.channels[0].name, "rules");
}

TEST_F(Compose, EntryOverridesTemplateFieldsAndMergesListsByName) {
  write("s.yaml", scenario("  - name: cdn\n"
                           "    use: edge\n"
                           "    services:\n"
                           "      - {name: proxy, capacity: 50k rps}\n"
                           "      - {name: cache, instances: {eu-west: 3}, capacity: 1k rps}\n"));
  Scenario s = load_file("s.yaml");
  const auto& services = s.providers[0].services;
  ASSERT_EQ(services.size(), 3u);  // proxy and waf from the template (in its order), cache appended
  EXPECT_EQ(services[0].name, "proxy");
  EXPECT_DOUBLE_EQ(services[0].capacity_rps, 50e3);  // overridden
  EXPECT_EQ(services[0].instances.size(), 2u);       // kept from the template
  EXPECT_EQ(services[1].name, "waf");
  EXPECT_EQ(services[2].name, "cache");
}

TEST_F(Compose, TemplatesAreFoundInParentFolders) {
  write("deep/er/s.yaml", scenario("  - {name: cdn, use: edge}\n"));
  EXPECT_EQ(load_file("deep/er/s.yaml").providers[0].services.size(), 2u);
}

TEST_F(Compose, ProblemsInsideATemplatePointIntoTheTemplate) {
  write("providers/broken.yaml",
        "kind: cdn\n"
        "services:\n"
        "  - name: proxy\n"
        "    instances: {eu-west: 1}\n"
        "    capacity: lots\n");
  write("s.yaml", scenario("  - {name: cdn, use: broken}\n"));
  auto d = diagnostics("s.yaml");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, (dir_ / "providers" / "broken.yaml").string());
  EXPECT_EQ(d[0].line, 5);
  EXPECT_EQ(d[0].column, 15);
  EXPECT_THAT(d[0].message, HasSubstr("request rate"));
}

TEST_F(Compose, MissingTemplateIsReportedAtUse) {
  write("s.yaml", scenario("  - {name: cdn, use: nowhere}\n"));
  auto d = diagnostics("s.yaml");
  ASSERT_GE(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("no template 'nowhere'"));
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[0].file, (dir_ / "s.yaml").string());
}

TEST_F(Compose, ParamsAreSubstitutedWholeOrInsideStrings) {
  write("s.yaml", "params: {cap: 20k, region: eu-west, when: +10m}\n" +
                      scenario("  - name: cdn\n"
                               "    use: edge\n"
                               "    services: [{name: proxy, capacity: \"${cap} rps\"}]\n"
                               "    channels: [{name: rules, origin: \"${region}\"}]\n",
                               "faults: [{id: f, kind: bad_config_push, channel: cdn.rules, at: \"${when}\",\n"
                               "          effects: [{variant: default, error_rate: 1}]}]\n"));
  Scenario s = load_file("s.yaml");
  EXPECT_DOUBLE_EQ(s.providers[0].services[0].capacity_rps, 20e3);
  EXPECT_EQ(s.providers[0].channels[0].origin, "eu-west");
  EXPECT_DOUBLE_EQ(s.faults[0].at.at_s, 600);
  ASSERT_EQ(s.params.size(), 3u);
  EXPECT_EQ(s.params[0], (std::pair<std::string, std::string>{"cap", "20k"}));

  // --set changes a parameter everywhere it is used, and overrides reach into templates.
  Scenario t = load_file("s.yaml", {{"params.cap", "30k"}, {"providers.cdn.services.waf.capacity", "7k rps"}});
  EXPECT_DOUBLE_EQ(t.providers[0].services[0].capacity_rps, 30e3);
  EXPECT_DOUBLE_EQ(t.providers[0].services[1].capacity_rps, 7e3);
  EXPECT_NE(t.source_hash, s.source_hash);
}

TEST_F(Compose, UnknownParameterSuggestsTheDeclaredOne) {
  write("s.yaml", "params: {capacity: 20k}\n" +
                      scenario("  - {name: cdn, use: edge, services: [{name: proxy, capacity: \"${capcity} rps\"}]}\n"));
  auto d = diagnostics("s.yaml");
  ASSERT_GE(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("unknown parameter 'capcity' (did you mean 'capacity'?)"));
  EXPECT_EQ(d[0].line, 4);
}

TEST_F(Compose, TemplateTextIsPartOfTheHash) {
  write("s.yaml", scenario("  - {name: cdn, use: edge}\n"));
  const std::string before = load_file("s.yaml").source_hash;
  write("providers/edge.yaml", "kind: cdn\nservices: [{name: proxy, instances: {eu-west: 9}, capacity: 1k rps}]\n");
  EXPECT_NE(load_file("s.yaml").source_hash, before);
}


// --- files that are not scenarios, and templates that try to escape -------------

TEST_F(Compose, MissingFileAndDirectoryAreClearErrors) {
  auto d = diagnostics("absent.yaml");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("cannot open the scenario file: no such file"));
  d = diagnostics("providers");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "expected a scenario file, got a directory");
}

TEST_F(Compose, FilesOverTheSizeLimitAreRefusedBeforeReading) {
  // Sparse files: the limit is checked on the size, before a byte is read.
  write("big.yaml", "");
  fs::resize_file(dir_ / "big.yaml", 50u << 20);
  auto d = diagnostics("big.yaml");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr(fmt::format("is 52428800 bytes; scenario and template files are limited to {} bytes",
                                                  max_scenario_bytes)));

  write("providers/huge.yaml", "");
  fs::resize_file(dir_ / "providers" / "huge.yaml", 200u << 20);
  write("s.yaml", scenario("  - {name: cdn, use: huge}\n"));
  d = diagnostics("s.yaml");  // then what the entry lacks without its template
  ASSERT_GE(d.size(), 1u);
  EXPECT_EQ(d[0].file, (dir_ / "providers" / "huge.yaml").string());
  EXPECT_THAT(d[0].message, HasSubstr("the template is 209715200 bytes"));
}

TEST_F(Compose, TemplatesAreCheckedLikeScenarios) {
  write("providers/bomb.yaml", "kind: cdn\nservices: &s [*s]\n");
  write("s.yaml", scenario("  - {name: cdn, use: bomb}\n"));
  auto d = diagnostics("s.yaml");
  ASSERT_GE(d.size(), 1u);
  EXPECT_EQ(d[0].file, (dir_ / "providers" / "bomb.yaml").string());
  EXPECT_EQ(d[0].line, 2);
  EXPECT_THAT(d[0].message, HasSubstr("refers to a node that contains it"));
}

TEST_F(Compose, TemplateNamesCannotEscapeOrOverflowTheFileSystem) {
  for (const std::string& name : {std::string(300, 'x'), std::string(5000, 'x'), std::string("../s"),
                                 std::string("/etc/passwd"), std::string(".hidden"), std::string("a\\\\b")}) {
    write("s.yaml", scenario("  - {name: cdn, use: \"" + name + "\"}\n"));
    auto d = diagnostics("s.yaml");
    ASSERT_GE(d.size(), 1u) << name;
    EXPECT_THAT(d[0].message, HasSubstr("expected the name of a template in a providers/ folder")) << name;
    EXPECT_EQ(d[0].line, 3) << name;
  }
}

TEST_F(Compose, TemplatesCannotUseTemplatesSoNoCycle) {
  write("providers/loop.yaml", "use: loop\nkind: cdn\n");
  write("s.yaml", scenario("  - {name: cdn, use: loop}\n"));
  auto d = diagnostics("s.yaml");
  ASSERT_GE(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("templates cannot themselves use templates"));
}

}  // namespace
}  // namespace outagesim::scenario
