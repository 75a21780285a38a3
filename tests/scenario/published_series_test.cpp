// The published-series file format (docs/published-series.md): the
// replays' files load, and every mistake is reported at file:line:column.
#include "sim/scenario/diagnostic.hpp"
#include "sim/scenario/published_series.hpp"
#include "sim/scenario/units.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace outagesim::scenario {
namespace {

namespace fs = std::filesystem;

const char* const good = R"(incident: example
series:
  - id: share
    title: Errors
    source_url: https://example.invalid/postmortem
    compares_with: {scope: site, entity: web, metric: availability, as: failed_share}
    unit: share
    failing: {above: 1%}
    tolerance: {time: 10m, value: 3%}
    points:
      - at: 2025-01-01T10:00:00Z
        at_least: 1%
        feature: onset
        basis: input
        reading: "text: 'errors rose at 10:00'"
      - at: 2025-01-01T10:05:00Z
        until: 2025-01-01T10:30:00Z
        value: 28%
        tolerance: {value: 5%}
        feature: plateau
        basis: calibrated
        reading: "text: 'about 28%'"
    oscillations: {at_least: 2, cycle: 5m, cycle_tolerance: 1m, basis: input, reading: "text: 'flapped'"}
)";

std::vector<Diagnostic> problems(const std::string& text) {
  try {
    load_published_series_from_string(text, "f.yaml");
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  return {};
}

/// `good` with `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  std::string s = good;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(PublishedSeries, ReadsEveryField) {
  const auto f = load_published_series_from_string(good, "f.yaml");
  ASSERT_EQ(f.series.size(), 1u);
  const auto& s = f.series[0];
  EXPECT_EQ(s.scope, "site");
  EXPECT_EQ(s.entity, "web");
  EXPECT_EQ(s.read_as, ReadAs::failed_share);
  EXPECT_TRUE(s.failing_above);
  EXPECT_DOUBLE_EQ(s.failing_threshold, 0.01);
  ASSERT_EQ(s.points.size(), 2u);
  EXPECT_DOUBLE_EQ(s.points[0].at_epoch_s, *parse_utc_timestamp("2025-01-01T10:00:00Z"));
  EXPECT_EQ(s.points[0].bound, PointBound::at_least);
  EXPECT_DOUBLE_EQ(s.points[0].time_tolerance_s, 600);
  EXPECT_EQ(s.points[0].feature, ShapeFeature::onset);
  EXPECT_EQ(s.points[0].source_url, "https://example.invalid/postmortem");
  EXPECT_EQ(s.points[0].reading, "text: 'errors rose at 10:00'");
  EXPECT_DOUBLE_EQ(s.points[1].value, 0.28);
  EXPECT_DOUBLE_EQ(s.points[1].value_tolerance, 0.05);  // its own tolerance over the series'
  EXPECT_DOUBLE_EQ(s.points[1].time_tolerance_s, 600);
  ASSERT_TRUE(s.points[1].until_epoch_s);
  ASSERT_TRUE(s.oscillations);
  EXPECT_EQ(*s.oscillations->at_least, 2);
  EXPECT_DOUBLE_EQ(*s.oscillations->cycle_s, 300);
  EXPECT_DOUBLE_EQ(s.oscillations->cycle_tolerance_s, 60);
}

TEST(PublishedSeries, MistakesAreLocated) {
  struct Case {
    std::string text;
    int line, column;
    std::string says;
  };
  const std::vector<Case> cases{
      {with("        reading: \"text: 'errors rose at 10:00'\"\n", ""), 11, 9, "missing 'reading'"},
      {with("feature: onset", "feature: onsett"), 13, 18, "did you mean 'onset'"},
      {with("at: 2025-01-01T10:00:00Z", "at: 2025-01-01T10:00:00"), 11, 13, "2025-01-01T10:00:00"},
      {with("until: 2025-01-01T10:30:00Z", "until: 2025-01-01T09:30:00Z"), 17, 16, "after 'at'"},
      {with("value: 28%", "value: 28%\n        at_most: 30%"), 16, 9, "exactly one of value, at_least or at_most"},
      {with("basis: input\n        reading", "basis: inptu\n        reading"), 14, 16, "did you mean 'input'"},
      {with("        feature: plateau\n", "        feature: onset\n"), 20, 18, "a second point marked onset"},
      {with("failing: {above: 1%}", "failing: {over: 1%}"), 8, 14, "{above: SHARE} or {below: SHARE}"},
      {with("value: 28%", "value: lots"), 18, 16, "lots"},
      {with("    tolerance: {time: 10m", "    tolerence: {time: 10m"), 9, 5, "did you mean 'tolerance'"},
      {with("oscillations: {at_least: 2,", "oscillations: {"), 23, 19, "recoveries"},
      {with("    compares_with: {scope: site, entity: web, metric: availability, as: failed_share}\n", ""), 3, 5,
       "not_compared"},
  };
  for (const auto& c : cases) {
    const auto d = problems(c.text);
    ASSERT_FALSE(d.empty()) << c.says;
    EXPECT_EQ(d[0].file, "f.yaml");
    EXPECT_EQ(d[0].line, c.line) << d[0].to_string();
    EXPECT_EQ(d[0].column, c.column) << d[0].to_string();
    EXPECT_NE(d[0].to_string().find(c.says), std::string::npos) << d[0].to_string();
  }
}

TEST(PublishedSeries, APlateauIsAnInterval) {
  const auto d = problems(with("        until: 2025-01-01T10:30:00Z\n", ""));
  ASSERT_FALSE(d.empty());
  EXPECT_NE(d[0].message.find("a plateau is an interval"), std::string::npos) << d[0].to_string();
  EXPECT_EQ(d[0].line, 19);
}

TEST(PublishedSeries, EveryProblemIsReportedNotOnlyTheFirst) {
  std::string s = with("basis: input\n        reading", "basis: inptu\n        reading");
  s = s.substr(0, s.find("value: 28%")) + "value: lots" + s.substr(s.find("value: 28%") + 10);
  EXPECT_EQ(problems(s).size(), 2u);
}

TEST(PublishedSeries, NotYamlOrNotAFileIsADiagnostic) {
  const auto d = problems("series: [\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "f.yaml");
  EXPECT_GT(d[0].line, 0);
  EXPECT_THROW(load_published_series("/nonexistent/x.series.yaml"), ScenarioError);
}

// The replays' files: each loads, names its incident, and every point says
// where it comes from and how it was read.
TEST(PublishedSeries, TheReplaysFilesLoad) {
  const fs::path dir = fs::path(OUTAGESIM_SOURCE_DIR) / "tests" / "validation" / "observations";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".series.yaml")) continue;
    ++files;
    const auto f = load_published_series(entry.path().string());
    EXPECT_EQ(f.incident + ".series.yaml", name);
    EXPECT_TRUE(fs::exists(fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios" / "incidents" / (f.incident + ".yaml")));
    for (const auto& s : f.series) {
      EXPECT_TRUE(s.compared() || !s.not_compared.empty()) << s.id;
      for (const auto& p : s.points) {
        EXPECT_TRUE(p.source_url.starts_with("https://")) << name << ":" << p.line;
        EXPECT_FALSE(p.reading.empty()) << name << ":" << p.line;
      }
    }
  }
  EXPECT_EQ(files, 3);
}

}  // namespace
}  // namespace outagesim::scenario
