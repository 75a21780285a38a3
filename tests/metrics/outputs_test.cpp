#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/event_log.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/metrics/svg_chart.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

RunResult small_result() {
  RunResult r;
  r.scenario = "demo";
  r.seed = 3;
  r.start_epoch_s = 1764924000;  // 2025-12-05T08:40:00Z
  r.duration_s = 20;
  r.resolution_s = 10;
  r.site_down_below = 0.9;
  r.sites = 1;
  r.t_s = {0, 10, 20};
  r.series = {{"global", "", "availability", {1, 0.72, 1}}, {"site", "a,b", "availability", {1, 0.5, 1}}};
  r.availability_min = 0.72;
  r.availability_mean = 0.86;
  r.failed_requests = 1234;
  r.sites_affected = 1;
  r.impact_start = 10;
  r.impact_end = 20;
  r.faults = {{"push", "cdn.rules", 5.0, std::nullopt, 12.0, 13.5}};
  r.channels = {{"cdn.rules", 4, 5.0, 0.25, std::nullopt}};
  r.marks = {{5, "fault push", world::MarkerKind::fault_start},
             {12, "sre: revert cdn.rules", world::MarkerKind::action},
             {13.5, "end of fault push", world::MarkerKind::fault_end}};
  return r;
}

const Provenance provenance{"0.1.0", "3.32.0", "demo.yaml", "0123456789abcdef", {"outagesim", "run", "demo.yaml"}, {}, {}};

TEST(Csv, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(Timeseries, TidyLongFormatWithUtcTimes) {
  std::ostringstream out;
  write_timeseries_csv(out, small_result());
  std::istringstream lines(out.str());
  std::string header, first, second, third;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  std::getline(lines, third);
  EXPECT_EQ(header, "t,time_utc,scope,entity,metric,value");
  EXPECT_EQ(first, "0,2025-12-05T08:40:00.000Z,global,,availability,1");
  EXPECT_EQ(second, "0,2025-12-05T08:40:00.000Z,site,\"a,b\",availability,1");
  EXPECT_EQ(third, "10,2025-12-05T08:40:10.000Z,global,,availability,0.72");
}

TEST(Summary, CarriesTheContractFields) {
  std::ostringstream out;
  write_summary_json(out, small_result(), provenance);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["scenario"], "demo");
  EXPECT_EQ(j["seed"], 3);
  EXPECT_EQ(j["start"], "2025-12-05T08:40:00Z");
  EXPECT_EQ(j["simgrid_version"], "3.32.0");
  const auto& m = j["metrics"];
  for (const char* key : {"availability_min", "availability_mean", "failed_requests", "sites_affected",
                          "impact_start", "impact_end", "faults", "channels"})
    EXPECT_TRUE(m.contains(key)) << key;
  EXPECT_TRUE(m["faults"]["push"]["detected_at"].is_null());
  EXPECT_EQ(m["faults"]["push"]["recovered_at"], 13.5);
  EXPECT_EQ(m["channels"]["cdn.rules"]["reach_t50"], 0.25);
  EXPECT_TRUE(m["channels"]["cdn.rules"]["reach_t95"].is_null());
}

TEST(Report, SelfContainedWithChartsAndTheSummaryNumbers) {
  std::string html = render_report_html(small_result(), provenance);
  EXPECT_THAT(html, HasSubstr("<svg id=\"chart-global-availability\""));
  EXPECT_THAT(html, HasSubstr("class=\"marker fault\""));
  EXPECT_THAT(html, HasSubstr("class=\"marker action\""));
  EXPECT_THAT(html, HasSubstr("data-metric=\"availability_min\">72%<"));
  EXPECT_THAT(html, HasSubstr("time (UTC)"));
  EXPECT_THAT(html, HasSubstr("a,b"));
  // Nothing fetched from anywhere.
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(Report, AFaultsEndLooksOtherThanItsStartAndEveryMarkerIsLabelled) {
  std::string html = render_report_html(small_result(), provenance);
  EXPECT_THAT(html, HasSubstr("class=\"marker fault-end\""));
  EXPECT_THAT(html, HasSubstr("class=\"glyph fault-end\""));
  EXPECT_THAT(html, HasSubstr("class=\"glyph fault-start\""));
  EXPECT_THAT(html, HasSubstr(">end of fault push</text>"));
  EXPECT_THAT(html, HasSubstr("a fault ends"));  // the key
}

TEST(SvgChart, MarkersCloseTogetherAreAllLabelledOnRowsOfTheirOwn) {
  const std::vector<double> t{0, 1000}, v{1, 1};
  ChartSpec spec{"c", "title", "y", 0, 1, true, 0, &t, {{"a", &v}}, {}};
  for (int i = 0; i < 12; ++i)
    spec.markers.push_back({100.0 + i, fmt::format("operator-{}: revert cdn.rules", i), world::MarkerKind::action});
  spec.markers.push_back({995, "fault near the right edge", world::MarkerKind::fault_start});
  const std::string svg = render_line_chart(spec);
  std::size_t labels = 0;
  std::set<std::string> rows;
  const std::regex label(R"re(<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="(start|end)" class="marker-label)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it) {
    ++labels;
    rows.insert((*it)[2]);
  }
  EXPECT_EQ(labels, 13u) << svg;
  EXPECT_GE(rows.size(), 12u) << "markers 1 s apart cannot share a row";
  // The label of a marker at the right edge ends at its marker, inside the chart.
  EXPECT_THAT(svg, HasSubstr("text-anchor=\"end\" class=\"marker-label fault\">fault near the right edge<"));
}

TEST(AtomicFile, AppearsOnlyOnCommit) {
  fs::path dir = fs::temp_directory_path() / ("outagesim-atomic-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    AtomicFile file(dir / "a.txt");
    file.stream() << "complete";
    EXPECT_FALSE(fs::exists(dir / "a.txt"));
    file.commit();
  }
  EXPECT_TRUE(fs::exists(dir / "a.txt"));
  {
    AtomicFile abandoned(dir / "b.txt");
    abandoned.stream() << "half";
  }
  EXPECT_FALSE(fs::exists(dir / "b.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);  // no temporaries left
  fs::remove_all(dir);
}

TEST(EventLog, OneJsonObjectPerEventWithItsCause) {
  const char* text = R"(scenario: {name: e, start: 2025-01-01T00:00:00Z, duration: 1m}
providers:
  - name: cdn
    services: [{name: proxy, instances: {eu-west: 1}, capacity: 1k rps}]
    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB}]
sites: [{name: s, rps: 1 rps, depends_on: [{target: cdn.proxy}]}]
faults: [{id: push, kind: bad_config_push, channel: cdn.rules, at: +10s, effects: [{variant: default, error_rate: 40%}]}]
)";
  world::World w = world::build(scenario::load_from_string(text, "e.yaml"));
  world::WorldState state = world::WorldState::initial(w);
  int v = state.publish(0, 0, 1e6, w.faults[0].error_rate_by_variant, "fault:push");
  state.apply(w, 0, 0, v);
  std::ostringstream out;
  EventLog log(w, out);
  log.on_event({10.25, world::ConfigApplied{0, 0, 0, v, 0.4}, "fault:push"}, state);
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["kind"], "config_applied");
  EXPECT_EQ(j["entity"], "cdn.proxy/eu-west/0");
  EXPECT_EQ(j["version"], "cdn.rules@v1");
  EXPECT_EQ(j["time_utc"], "2025-01-01T00:00:10.250Z");
  EXPECT_EQ(j["error_rate"], 0.4);
  EXPECT_EQ(j["cause"], "fault:push");
}

}  // namespace
}  // namespace outagesim::metrics
