// What the pages and summaries show beyond the numbers, through the real
// binary: the report's timeline markers (a fault's start, its end and an
// action, each drawn its own way, every one labelled on the chart) and
// compare.html's markers of both runs; the safeguards (failovers, health
// gates, detections) that `validate` and the run summary report; and the
// spread of an ensemble of seeds (`outagesim ensemble`).
#include "cli_runner.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim {
namespace {

using namespace outagesim::testing;

/// The <svg id="ID"> element of `html`.
std::string chart(const std::string& html, const std::string& id) {
  const auto from = html.find(fmt::format("<svg id=\"{}\"", id));
  if (from == std::string::npos) return {};
  return html.substr(from, html.find("</svg>", from) - from);
}

/// Every marker of a chart: its class (fault, fault-end, action) and its full label.
std::vector<std::pair<std::string, std::string>> markers_in(const std::string& svg) {
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex marked(R"re(<g class="marked ([a-z-]+)"><title>([^<]*)</title>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), marked); it != std::sregex_iterator(); ++it)
    out.emplace_back((*it)[1], (*it)[2]);
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportMarkers, AFaultsEndIsDrawnApartAndEveryMarkerIsLabelled) {
  const fs::path dir = run_example("operator-detection");
  const std::string svg = chart(slurp(dir / "report.html"), "chart-global-availability");
  ASSERT_FALSE(svg.empty());
  const auto markers = markers_in(svg);
  // One marker per fault start, fault end, detection and action of events.jsonl.
  std::size_t expected = 0;
  for (const auto& e : read_events(dir)) {
    const std::string kind = e["kind"];
    expected += kind == "fault_injected" || kind == "fault_ended" || kind == "operator_detected" ||
                kind == "operator_action";
  }
  ASSERT_EQ(markers.size(), expected);
  EXPECT_EQ(count(svg, "class=\"marker-label "), markers.size()) << "every marker has its label on the chart";
  bool start = false, action = false;
  for (const auto& [kind, label] : markers) {
    start = start || (kind == "fault" && label == "fault killswitch-bug");
    action = action || (kind == "action" && label == "sre: kill_switch cdn.config");
  }
  EXPECT_TRUE(start && action) << svg;
  EXPECT_EQ(count(svg, "class=\"glyph fault-start\""), count(svg, "class=\"marked fault\""));
  fs::remove_all(dir);

  // A crash that ends: its end is a marker of its own kind, glyph and label.
  const fs::path crash = run_example("fault-crash");
  const std::string crash_svg = chart(slurp(crash / "report.html"), "chart-global-availability");
  std::size_t ends = 0;
  for (const auto& e : read_events(crash)) ends += e["kind"] == "fault_ended";
  ASSERT_GT(ends, 0u);
  std::size_t end_markers = 0;
  for (const auto& [kind, label] : markers_in(crash_svg))
    if (kind == "fault-end") {
      EXPECT_EQ(label.rfind("end of fault ", 0), 0u) << label;
      ++end_markers;
    }
  EXPECT_EQ(end_markers, ends);
  EXPECT_EQ(count(crash_svg, "class=\"glyph fault-end\""), ends);
  EXPECT_EQ(count(crash_svg, "class=\"marker fault-end\""), ends);
  fs::remove_all(crash);
}

TEST(ReportMarkers, CompareShowsBothRunsMarkersWithTheReportsLabels) {
  const fs::path dir = fresh_dir("compare-markers");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/a' -q", example("cdn-bad-push"), dir.string())).exit_code, 0);
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/b' -q --set faults[0].at=+35m", example("cdn-bad-push"),
                                  dir.string()))
                .exit_code,
            0);
  const Outcome o = outagesim(fmt::format("compare '{0}/a' '{0}/b' --out '{0}/a-vs-b' -q", dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string compared = slurp(dir / "a-vs-b" / "compare.html");
  const auto in_compare = markers_in(chart(compared, "chart-compare-availability"));
  // compare.html reads the markers back from events.jsonl: the same labels
  // and kinds as each run's own report, prefixed with the run.
  std::vector<std::pair<std::string, std::string>> expected;
  for (const char* run : {"a", "b"})
    for (const auto& [kind, label] : markers_in(chart(slurp(dir / run / "report.html"), "chart-global-availability")))
      expected.emplace_back(kind, fmt::format("{}: {}", run[0] == 'a' ? "A" : "B", label));
  ASSERT_FALSE(expected.empty());
  auto sorted = [](auto v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(in_compare), sorted(expected));
  EXPECT_NE(compared.find("A: fault bad-feature-file"), std::string::npos);
  EXPECT_NE(compared.find("B: fault bad-feature-file"), std::string::npos);
  EXPECT_FALSE(markers_in(chart(compared, "chart-compare-availability-difference")).empty());
  EXPECT_NE(compared.find("a fault ends"), std::string::npos) << "the key to the markers";
  fs::remove_all(dir);
}

TEST(Safeguards, TheRunSaysWhenTheFailoverTriggeredAndValidateForesawIt) {
  const fs::path dir = fresh_dir("safeguards");
  const Outcome run = outagesim(fmt::format("run '{}' --out '{}'", example("dns-failover"), dir.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Three failed checks 30 s apart after the push at +10m10s (the example's header).
  const auto summary = read_json(dir / "summary.json");
  const auto& failover = summary["metrics"]["safeguards"]["dns_failover dns.www"];
  ASSERT_TRUE(failover.is_object()) << summary["metrics"].dump(2);
  EXPECT_EQ(failover["kind"], "dns_failover");
  EXPECT_EQ(failover["entity"], "dns.www");
  const double at = failover["first_triggered_at"].get<double>();
  EXPECT_GE(at, 610 + 60);
  EXPECT_LE(at, 610 + 120);
  EXPECT_EQ(failover["times_triggered"], 1);
  bool in_events = false;
  for (const auto& e : read_events(dir))
    in_events = in_events || (e["kind"] == "record_changed" && e["reason"] == "failover" && e["t"] == at);
  EXPECT_TRUE(in_events);
  EXPECT_NE(run.out.find("failover       DNS failover dns.www: triggered at 14:1"), std::string::npos) << run.out;
  // The report marks it.
  EXPECT_NE(slurp(dir / "report.html").find("<title>DNS failover: dns.www</title>"), std::string::npos);

  // validate runs the scenario quietly and says the same, writing nothing.
  const Outcome text = outagesim(fmt::format("validate '{}'", example("dns-failover")));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("safeguards, as a run with seed 5 sets them off:\n  DNS failover dns.www: triggered at"),
            std::string::npos)
      << text.out;
  const Outcome json = outagesim(fmt::format("validate '{}' --json", example("dns-failover")));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto validated = nlohmann::json::parse(json.out);
  ASSERT_EQ(validated["safeguards"].size(), 1u) << json.out;
  EXPECT_EQ(validated["safeguards"][0]["kind"], "dns_failover");
  EXPECT_EQ(validated["safeguards"][0]["triggered_at"][0].get<double>(), at);
  const Outcome skipped = outagesim(fmt::format("validate '{}' --no-simulate", example("dns-failover")));
  EXPECT_EQ(skipped.out.find("safeguards"), std::string::npos) << skipped.out;
  fs::remove_all(dir);
}

TEST(Safeguards, AFailoverThatNeverTriggeredIsSaid) {
  // The push comes too late for three failed checks before the end.
  const std::string late = "--set faults[0].at=+49m30s";
  const fs::path dir = fresh_dir("safeguards-never");
  const Outcome run = outagesim(fmt::format("run '{}' --out '{}' {}", example("dns-failover"), dir.string(), late));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("failover       DNS failover dns.www: never triggered"), std::string::npos) << run.out;
  const auto failover = read_json(dir / "summary.json")["metrics"]["safeguards"]["dns_failover dns.www"];
  EXPECT_TRUE(failover["first_triggered_at"].is_null());
  EXPECT_EQ(failover["times_triggered"], 0);
  const Outcome text = outagesim(fmt::format("validate '{}' {}", example("dns-failover"), late));
  EXPECT_NE(text.out.find("DNS failover dns.www: never triggered"), std::string::npos) << text.out;
  fs::remove_all(dir);
}

TEST(Safeguards, HealthGatesLoadBalancersAndDetectionsAreFollowedToo) {
  const Outcome gate = outagesim(fmt::format("validate '{}' --json", example("rollout-staged-health-gate")));
  ASSERT_EQ(gate.exit_code, 0) << gate.err;
  const auto gated = nlohmann::json::parse(gate.out)["safeguards"];
  ASSERT_FALSE(gated.empty());
  EXPECT_EQ(gated[0]["kind"], "health_gate");
  EXPECT_FALSE(gated[0]["triggered_at"].empty()) << gate.out;

  const Outcome lb = outagesim(fmt::format("validate '{}' --json", example("lb-health-flapping")));
  ASSERT_EQ(lb.exit_code, 0) << lb.err;
  bool lb_failover = false;
  const auto lb_safeguards = nlohmann::json::parse(lb.out)["safeguards"];
  for (const auto& g : lb_safeguards)
    lb_failover = lb_failover || (g["kind"] == "load_balancer_failover" && !g["triggered_at"].empty());
  EXPECT_TRUE(lb_failover) << lb.out;

  const fs::path dir = run_example("operator-detection");
  const auto detection = read_json(dir / "summary.json")["metrics"]["safeguards"];
  ASSERT_EQ(detection.size(), 1u) << detection.dump(2);
  const auto& d = detection.begin().value();
  EXPECT_EQ(d["kind"], "detection");
  double first_detected = -1;
  for (const auto& e : read_events(dir))
    if (e["kind"] == "operator_detected" && first_detected < 0) first_detected = e["t"];
  EXPECT_EQ(d["first_triggered_at"].get<double>(), first_detected);
  fs::remove_all(dir);
}

/// The rows of ensemble.csv, split at commas.
std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(slurp(file));
  std::string line;
  while (std::getline(lines, line)) {
    rows.emplace_back();
    std::istringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) rows.back().push_back(field);
  }
  return rows;
}

TEST(Ensemble, SeedsOfOneScenarioAreDrawnAsTheMedianAndItsBands) {
  const fs::path dir = fresh_dir("ensemble");
  std::string dirs;
  for (int seed : {1, 2, 3, 4}) {
    const fs::path run = dir / fmt::format("seed-{}", seed);
    ASSERT_EQ(outagesim(fmt::format("run '{}' --seed {} --out '{}' -q", example("operator-detection"), seed, run.string()))
                  .exit_code,
              0);
    dirs += fmt::format(" '{}'", run.string());
  }
  const Outcome o = outagesim(fmt::format("ensemble{} --out '{}/e'", dirs, dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("4 runs of operator-detection"), std::string::npos) << o.out;
  const std::string html = slurp(dir / "e" / "ensemble.html");
  EXPECT_NE(html.find("<svg id=\"chart-ensemble-availability\""), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"chart-ensemble-config-reach-cdn.config\""), std::string::npos);

  // Each sample's median and bands, against the runs' own timeseries.csv.
  std::vector<std::vector<std::pair<double, double>>> runs;
  for (int seed : {1, 2, 3, 4})
    runs.push_back(read_series(dir / fmt::format("seed-{}", seed), "global", "", "availability"));
  const auto rows = csv_rows(dir / "e" / "ensemble.csv");
  ASSERT_EQ(rows.front(), (std::vector<std::string>{"t", "scope", "entity", "metric", "runs", "min", "p10", "median",
                                                     "p90", "max"}));
  std::size_t k = 0;
  bool spread_somewhere = false;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r][1] != "global") continue;
    ASSERT_LT(k, runs[0].size());
    std::vector<double> at;
    for (const auto& run : runs) at.push_back(run[k].second);
    std::sort(at.begin(), at.end());
    EXPECT_EQ(std::stod(rows[r][0]), runs[0][k].first);
    EXPECT_EQ(rows[r][4], "4");
    EXPECT_DOUBLE_EQ(std::stod(rows[r][5]), at[0]);
    EXPECT_DOUBLE_EQ(std::stod(rows[r][7]), (at[1] + at[2]) / 2);
    EXPECT_DOUBLE_EQ(std::stod(rows[r][9]), at[3]);
    spread_somewhere = spread_somewhere || at[3] > at[0];
    ++k;
  }
  EXPECT_EQ(k, runs[0].size());
  EXPECT_TRUE(spread_somewhere) << "the diagnosis time is drawn from the seed: the curves differ";

  // Not an ensemble: one run, or runs of two scenarios.
  EXPECT_EQ(outagesim(fmt::format("ensemble '{}/seed-1' --out '{}/x'", dir.string(), dir.string())).exit_code, 2);
  const fs::path other = dir / "other";
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}' -q", example("dns-failover"), other.string())).exit_code, 0);
  const Outcome mixed = outagesim(fmt::format("ensemble '{}/seed-1' '{}' --out '{}/x'", dir.string(), other.string(),
                                              dir.string()));
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("an ensemble is one scenario's runs"), std::string::npos) << mixed.err;
  fs::remove_all(dir);
}


// `run --observed FILE` (docs/published-series.md): the published points
// and their tolerance boxes drawn over the simulated series they name, with
// a legend naming the source, and the shape score under the chart.
fs::path observed_file(const std::string& incident) {
  return fs::path(OUTAGESIM_SOURCE_DIR) / "tests" / "validation" / "observations" / (incident + ".series.yaml");
}

TEST(ObservedOverlay, DrawsThePublishedPointsOverTheSimulatedSeries) {
  const fs::path dir = fresh_dir("observed-overlay");
  const auto scenario = fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios" / "incidents" / "cloudflare-2025-12-05.yaml";
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}' -q --observed '{}'", scenario.string(), dir.string(),
                                          observed_file("cloudflare-2025-12-05").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::string html = slurp(dir / "report.html");
  const std::string svg = chart(html, "chart-observed-http-500-share");
  ASSERT_FALSE(svg.empty()) << "no overlay chart";
  EXPECT_NE(svg.find("data-label=\"simulated: 1 - site http-traffic availability\""), std::string::npos);
  // One tolerance box and one mark per published point (the file has 5).
  EXPECT_EQ(count(svg, "class=\"observed-band\""), 5u);
  EXPECT_EQ(count(svg, "class=\"observed-mark\""), 5u);
  EXPECT_NE(svg.find("published: HTTP 500 errors served, share of HTTP traffic (source: "
                     "https://blog.cloudflare.com/5-december-2025-outage/)"),
            std::string::npos)
      << "the legend names the source";
  // Each point's reading is on hover.
  EXPECT_NE(svg.find("approximately 28% of all HTTP traffic"), std::string::npos);
  EXPECT_NE(html.find("class=\"shape-score\" data-series=\"http-500-share\""), std::string::npos);
  // The plateau's box spans 25% to 31% of the 0-100% axis, over 08:48-09:11.
  const std::regex box(R"re(<rect class="observed-band" x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re");
  std::vector<double> heights;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), box); it != std::sregex_iterator(); ++it)
    heights.push_back(std::stod((*it)[4]));
  ASSERT_EQ(heights.size(), 5u);
  EXPECT_NEAR(heights[2] / heights[1], 0.06 / 0.99, 0.01) << "the plateau's box is 6 points high, the onset's 99";
  fs::remove_all(dir);
}

TEST(ObservedOverlay, WithoutObservedTheReportHasNoSuchSection) {
  const fs::path dir = run_example("cdn-bad-push");
  EXPECT_EQ(slurp(dir / "report.html").find("id=\"observed\""), std::string::npos);
  fs::remove_all(dir);
}

TEST(ObservedOverlay, ABadFileIsRefusedBeforeTheRunWithItsLine) {
  const fs::path dir = fresh_dir("observed-bad");
  fs::create_directories(dir);
  std::string text = slurp(observed_file("cloudflare-2025-12-05"));
  const std::string from = "at: 2025-12-05T09:12:00Z";
  text.replace(text.find(from), from.size(), "at: 2025-12-05T09:12:00");  // no zone
  int line = 1;
  for (std::size_t k = 0; k < text.find("at: 2025-12-05T09:12:00\n"); ++k) line += text[k] == '\n';
  const fs::path bad = dir / "bad.series.yaml";
  std::ofstream(bad) << text;
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}' --observed '{}'", example("cdn-bad-push"),
                                          (dir / "run").string(), bad.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find(fmt::format("{}:{}:13: error:", bad.string(), line)), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(dir / "run" / "summary.json")) << "refused before the run";
  fs::remove_all(dir);
}

TEST(ObservedOverlay, ASeriesTheRunDoesNotHaveIsSaidNotDrawn) {
  const fs::path dir = fresh_dir("observed-missing");
  // The 2025-12-05 curves over a run of the CDN example: its site is not http-traffic.
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}' -q --observed '{}'", example("cdn-bad-push"),
                                          dir.string(), observed_file("cloudflare-2025-12-05").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("warning: --observed"), std::string::npos) << o.err;
  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("The run has no series 1 - site http-traffic availability"), std::string::npos);
  EXPECT_TRUE(chart(html, "chart-observed-http-500-share").empty());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outagesim
