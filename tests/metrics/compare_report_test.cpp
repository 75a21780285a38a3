// `outagesim compare` without the CLI: two run directories written from
// small RunResults, read back and compared; and the reader refusing what is
// not a run directory.
#include "sim/metrics/compare_report.hpp"
#include "sim/metrics/csv_reader.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/metrics/run_reader.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const Provenance provenance{"0.1.0", "3.32.0", "demo.yaml", "0123456789abcdef", {"outagesim", "run"}, {}, {}};

/// A run of `duration` s sampled every `resolution` s whose availability dips to `low` in the middle.
RunResult run_fixture(double duration, double resolution, double low, double failed) {
  RunResult r;
  r.scenario = "demo";
  r.seed = 3;
  r.start_epoch_s = 1764924000;
  r.duration_s = duration;
  r.resolution_s = resolution;
  r.site_down_below = 0.9;
  r.sites = 2;
  for (double t = 0; t <= duration; t += resolution) r.t_s.push_back(t);
  Series availability{"global", "", "availability", {}};
  Series reach{"channel", "cdn.rules", "config_reach", {}};
  for (double t : r.t_s) {
    const bool dip = t > duration / 4 && t < duration / 2;
    availability.values.push_back(dip ? low : 1.0);
    reach.values.push_back(dip ? 1.0 : 0.0);
  }
  r.series = {availability, {"site", "a,b", "availability", availability.values}, reach};
  r.availability_min = low;
  r.availability_mean = 1 - failed / 1e6;
  r.failed_requests = failed;
  r.sites_affected = 1;
  r.impact_start = duration / 4;
  r.faults = {{"push", "cdn.rules", 5.0, std::nullopt, 12.0, 13.5}};
  r.faults[0].sites_affected = 1;
  r.faults[0].failed_requests = failed;
  r.channels = {{"cdn.rules", 4, 5.0, 0.25, std::nullopt}};
  return r;
}

fs::path write_run(const std::string& name, const RunResult& r) {
  fs::path dir = fs::temp_directory_path() / ("outagesim-compare-" + std::to_string(::getpid())) / name;
  fs::create_directories(dir);
  std::ofstream summary(dir / "summary.json");
  write_summary_json(summary, r, provenance);
  std::ofstream timeseries(dir / "timeseries.csv");
  write_timeseries_csv(timeseries, r);
  return dir;
}

class CompareTest : public ::testing::Test {
 protected:
  void TearDown() override {
    fs::remove_all(fs::temp_directory_path() / ("outagesim-compare-" + std::to_string(::getpid())));
  }
};

TEST_F(CompareTest, RunsOfDifferentLengthAndResolutionAreComparedSideBySide) {
  const fs::path a = write_run("base", run_fixture(60, 10, 0.7, 1000));
  const fs::path b = write_run("what-if", run_fixture(120, 5, 0.9, 250));
  Comparison c = compare_runs(read_run_directory(a), read_run_directory(b));

  EXPECT_EQ(c.a.name, "base");
  EXPECT_EQ(c.b.name, "what-if");
  EXPECT_EQ(c.a.availability.t_s.size(), 7u);
  EXPECT_EQ(c.b.availability.t_s.size(), 25u);
  ASSERT_EQ(c.b.reach.size(), 1u);
  EXPECT_EQ(c.b.reach[0].first, "cdn.rules");

  auto find = [&](const std::string& path) -> const MetricComparison& {
    for (const auto& m : c.metrics)
      if (m.path == path) return m;
    throw std::runtime_error("no metric " + path);
  };
  EXPECT_DOUBLE_EQ(*find("availability_min").difference(), 0.9 - 0.7);
  EXPECT_DOUBLE_EQ(*find("failed_requests").difference(), 250 - 1000);
  EXPECT_DOUBLE_EQ(*find("impact_start").difference(), 30 - 15);
  EXPECT_DOUBLE_EQ(*find("faults/push/failed_requests").a, 1000);
  EXPECT_FALSE(find("impact_end").difference());               // null in both
  EXPECT_FALSE(find("channels/cdn.rules/reach_t95").a);
  EXPECT_THROW(find("faults/push/channel"), std::runtime_error);  // strings are not metrics

  std::ostringstream json;
  write_compare_json(json, c);
  auto j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j["a"]["name"], "base");
  EXPECT_EQ(j["b"]["duration_s"], 120.0);
  EXPECT_EQ(j["metrics"]["failed_requests"]["a"], 1000.0);
  EXPECT_EQ(j["metrics"]["failed_requests"]["b"], 250.0);
  EXPECT_EQ(j["metrics"]["failed_requests"]["difference"], -750.0);
  EXPECT_TRUE(j["metrics"]["impact_end"]["difference"].is_null());

  const std::string html = render_compare_html(c);
  EXPECT_THAT(html, HasSubstr("<svg id=\"chart-compare-availability\""));
  EXPECT_THAT(html, HasSubstr("<svg id=\"chart-compare-config-reach\""));
  EXPECT_THAT(html, HasSubstr("data-label=\"A cdn.rules\""));
  EXPECT_THAT(html, HasSubstr("data-label=\"B cdn.rules\""));
  EXPECT_THAT(html, HasSubstr("time since start"));
  EXPECT_THAT(html, HasSubstr(">+20 pp<"));     // availability_min, in percentage points
  EXPECT_THAT(html, HasSubstr(">-750<"));
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

// B - A over time, on A's samples while both runs last, B held at its last
// sample: A dips to 70% at 20 s, B to 90% from 35 s to 55 s.
TEST_F(CompareTest, TheDifferenceOverTimeIsBMinusAOnASamples) {
  const fs::path a = write_run("base", run_fixture(60, 10, 0.7, 1000));
  const fs::path b = write_run("what-if", run_fixture(120, 5, 0.9, 250));
  const std::string html = render_compare_html(compare_runs(read_run_directory(a), read_run_directory(b)));
  ASSERT_THAT(html, HasSubstr("<svg id=\"chart-compare-availability-difference\""));
  // +30 pp at 20 s is the top of a +-30 pp axis, -10 pp at 40 s and 50 s, 0 elsewhere
  // (x: 70 px + t / 120 s * 1110 px; y: 36 px + (1 - (v + 0.3) / 0.6) * 248 px).
  EXPECT_THAT(html, HasSubstr("data-label=\"B - A\" fill=\"none\" stroke=\"#009E73\" stroke-width=\"2\" points=\""
                              "70.0,160.0 162.5,160.0 255.0,36.0 347.5,160.0 440.0,201.3 532.5,201.3 625.0,160.0\""));
}

TEST_F(CompareTest, WhatIsNotARunDirectoryIsRefusedWithTheReason) {
  const fs::path good = write_run("good", run_fixture(60, 10, 0.7, 1000));
  auto refused = [](const fs::path& dir) {
    try {
      read_run_directory(dir);
    } catch (const RunDirectoryError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_THAT(refused(good.parent_path() / "nonexistent"), HasSubstr("not a directory"));

  fs::path no_csv = write_run("no-csv", run_fixture(60, 10, 0.7, 1000));
  fs::remove(no_csv / "timeseries.csv");
  EXPECT_THAT(refused(no_csv), HasSubstr("timeseries.csv: missing"));

  fs::path bad_json = write_run("bad-json", run_fixture(60, 10, 0.7, 1000));
  std::ofstream(bad_json / "summary.json") << "{\"scenario\": ";
  EXPECT_THAT(refused(bad_json), HasSubstr("summary.json: not valid JSON"));

  fs::path no_metrics = write_run("no-metrics", run_fixture(60, 10, 0.7, 1000));
  std::ofstream(no_metrics / "summary.json") << R"({"scenario": "x", "seed": 1, "start": "2025-01-01T00:00:00Z",
    "duration_s": 10, "resolution_s": 1})";
  EXPECT_THAT(refused(no_metrics), HasSubstr("'metrics' is missing or not an object"));

  fs::path bad_header = write_run("bad-header", run_fixture(60, 10, 0.7, 1000));
  std::ofstream(bad_header / "timeseries.csv") << "time,value\n0,1\n";
  EXPECT_THAT(refused(bad_header), HasSubstr("timeseries.csv:1: expected the header"));

  fs::path bad_row = write_run("bad-row", run_fixture(60, 10, 0.7, 1000));
  std::ofstream(bad_row / "timeseries.csv") << "t,time_utc,scope,entity,metric,value\n"
                                               "0,2025-01-01T00:00:00Z,global,,availability,1\n"
                                               "10,2025-01-01T00:00:10Z,global,,availability\n";
  EXPECT_THAT(refused(bad_row), HasSubstr("timeseries.csv:3: expected 6 fields, found 5"));

  fs::path bad_number = write_run("bad-number", run_fixture(60, 10, 0.7, 1000));
  std::ofstream(bad_number / "timeseries.csv") << "t,time_utc,scope,entity,metric,value\n"
                                                  "0,2025-01-01T00:00:00Z,global,,availability,high\n";
  EXPECT_THAT(refused(bad_number), HasSubstr("timeseries.csv:2: 'high' is not a number"));
}

TEST(CsvReader, ReadsWhatRfc4180Writes) {
  std::istringstream in("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast");
  CsvReader csv(in);
  std::vector<std::string> f;
  ASSERT_TRUE(csv.next(f));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  ASSERT_TRUE(csv.next(f));
  EXPECT_EQ(csv.line(), 2u);
  EXPECT_EQ(f, (std::vector<std::string>{"two\nlines", "", "x"}));
  ASSERT_TRUE(csv.next(f));
  EXPECT_EQ(csv.line(), 4u);
  EXPECT_EQ(f, (std::vector<std::string>{"last"}));
  EXPECT_FALSE(csv.next(f));

  std::istringstream open_quote("\"never closed\n");
  CsvReader bad(open_quote);
  EXPECT_THROW(bad.next(f), CsvError);
}

TEST(MetricPath, EscapesLikeAJsonPointer) {
  EXPECT_EQ(metric_path({"availability_min"}), "availability_min");
  EXPECT_EQ(metric_path({"channels", "cdn.features", "reach_t50"}), "channels/cdn.features/reach_t50");
  EXPECT_EQ(metric_path({"faults", "a/b~c", "sites_affected"}), "faults/a~1b~0c/sites_affected");
}

}  // namespace
}  // namespace outagesim::metrics
