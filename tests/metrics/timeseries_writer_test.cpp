// timeseries.csv streamed as the run samples (timeseries_writer.hpp) and the
// series a run holds (series_retention.hpp): the streamed bytes are those of
// a writer of the whole run at the end (an independent one, below), whatever
// the selection, the compression or an interruption; a value that is not
// finite stops the file with the same message and commits nothing; and a
// run holds only the series read after it, which read the same as if every
// series were held.
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/collector.hpp"
#include "sim/metrics/display_format.hpp"
#include "sim/metrics/gzip_stream.hpp"
#include "sim/metrics/report.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/series_retention.hpp"
#include "sim/metrics/series_selection.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/state.hpp"

#include <cmath>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

constexpr const char* four_pops = R"(scenario: {name: four, start: 2025-01-01T00:00:00Z, duration: 100s}
providers:
  - name: cdn
    services:
      - name: proxy
        instances: {eu-west: 4}
        capacity: 1k rps
        variants: [{name: old, share: 50%}, {name: new, share: 50%}]
    channels: [{name: rules, consumers: proxy, origin: eu-west, size: 1MB}]
sites:
  - {name: hard.example, rps: 300 rps, depends_on: [{target: cdn.proxy}]}
  - {name: "soft,example", rps: 100 rps, depends_on: [{target: cdn.proxy, kind: soft}]}
faults:
  - {id: push, kind: bad_config_push, channel: cdn.rules, at: +10s, effects: [{variant: new, error_rate: 100%}]}
)";

/// The whole run's rows written at the end from every held series: the
/// writer of timeseries.csv before it streamed, kept here as the reference.
std::string written_at_the_end(const RunResult& r) {
  std::ostringstream out;
  const SeriesSelection selection(r.series_filters);
  out << "t,time_utc,scope,entity,metric,value\n";
  for (std::size_t k = 0; k < r.t_s.size(); ++k) {
    if (!std::isfinite(r.t_s[k]))
      throw std::logic_error(fmt::format("timeseries.csv: sample {} time is {}, not a finite number", k, r.t_s[k]));
    for (const auto& s : r.series)
      if (!std::isfinite(s.values.at(k)))
        throw std::logic_error(fmt::format("timeseries.csv: series {}/{}/{} at t={} s is {}, not a finite number",
                                           s.scope, s.entity, s.metric, r.t_s[k], s.values[k]));
    for (const auto& s : r.series)
      if (selection.keeps(s))
        out << fmt::format("{},{},{},{},{},{}\n", r.t_s[k], utc_timestamp_ms(r.start_epoch_s + r.t_s[k]), s.scope,
                           csv_field(s.entity), s.metric, s.values[k]);
  }
  return out.str();
}

std::string inflated(const std::string& gz) {
  std::istringstream source(gz);
  GzipReader reader(source);
  std::istream in(&reader);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A run driven by hand, no engine: a bad push reaches two of the four
/// PoPs at 10 s; `until_s` stops it early (an interrupted run's last sample).
class DrivenRun {
 public:
  DrivenRun(const std::string& output_yaml, const SeriesRetention& retention)
      : world_(world::build(scenario::load_from_string(std::string(four_pops) + output_yaml, "four.yaml"))),
        state_(world::WorldState::initial(world_)),
        rows_(out_, world_.timeseries_compression, world_.series_filters, world_.start_epoch_s),
        collector_(world_, retention, &rows_) {}

  RunResult run(double until_s = 100) {
    for (double t = 0; t <= until_s; t += 10) {
      if (t == 10) {
        const int bad = state_.publish(0, 0, 1e6, world_.faults[0].error_rate_by_variant, "fault:push");
        collector_.on_event({10, world::ConfigPublished{0, bad}, "fault:push"}, state_);
        collector_.on_event({10, world::FaultInjected{0, bad}, "fault:push"}, state_);
        for (int k = 0; k < 4; ++k) {
          state_.apply(world_, 0, k, bad);
          const int instance = world_.services[0].instances[static_cast<std::size_t>(k)];
          collector_.on_event({10, world::ConfigApplied{0, k, instance, bad,
                                                        state_.instances[static_cast<std::size_t>(instance)].error_rate},
                               "fault:push"},
                              state_);
        }
      }
      collector_.on_sample(t, state_);
    }
    RunResult r = collector_.finish(until_s < 100 ? std::optional(until_s) : std::nullopt);
    rows_.finish();
    return r;
  }
  [[nodiscard]] std::string streamed() const { return out_.str(); }

 private:
  world::World world_;
  world::WorldState state_;
  std::ostringstream out_;
  TimeseriesWriter rows_;
  Collector collector_;
};

TEST(TimeseriesWriter, StreamedRowsAreThoseOfTheWholeRunWrittenAtTheEnd) {
  for (const char* output : {"", "  series: [{scope: site}, {metric: config_reach}]\n",
                             "  series: [{scope: global, metric: availability}, {entity: \"soft*\"}]\n"}) {
    SCOPED_TRACE(output);
    DrivenRun run(std::string("output:\n  resolution: 10s\n") + output, SeriesRetention::every_series());
    const RunResult r = run.run();
    ASSERT_EQ(r.t_s.size(), 11u);
    const std::string expected = written_at_the_end(r);
    EXPECT_EQ(run.streamed(), expected);
    EXPECT_GT(std::count(expected.begin(), expected.end(), '\n'), 11);  // rows beyond the header
    std::ostringstream in_one_go;
    write_timeseries_csv(in_one_go, r);
    EXPECT_EQ(in_one_go.str(), expected);
  }
}

TEST(TimeseriesWriter, GzipOutputDecompressesToTheSameCsv) {
  DrivenRun plain("output: {resolution: 10s}\n", SeriesRetention::every_series());
  DrivenRun gzip("output: {resolution: 10s, compress: gzip}\n", SeriesRetention::every_series());
  const RunResult r = plain.run();
  gzip.run();
  ASSERT_NE(gzip.streamed(), plain.streamed());
  EXPECT_EQ(inflated(gzip.streamed()), plain.streamed());
  EXPECT_EQ(plain.streamed(), written_at_the_end(r));
}

TEST(TimeseriesWriter, AnInterruptedRunWritesEverySampleUpToItsLastOne) {
  DrivenRun whole("output: {resolution: 10s}\n", SeriesRetention::every_series());
  DrivenRun interrupted("output: {resolution: 10s}\n", SeriesRetention::every_series());
  const RunResult all = whole.run();
  const RunResult part = interrupted.run(50);
  ASSERT_TRUE(part.interrupted);
  ASSERT_EQ(part.t_s.size(), 6u);
  EXPECT_EQ(interrupted.streamed(), written_at_the_end(part));
  // The same rows as the whole run's up to 50 s: its prefix.
  const std::string last_row_at_50 = "\n50,";
  const std::string rows = interrupted.streamed();
  EXPECT_EQ(whole.streamed().substr(0, rows.size()), rows);
  EXPECT_NE(rows.rfind(last_row_at_50), std::string::npos);
  EXPECT_EQ(rows.find("\n60,"), std::string::npos);
}

TEST(TimeseriesWriter, AValueNotFiniteStopsTheFileWithTheSameMessageAndCommitsNothing) {
  RunResult r;
  r.t_s = {0, 10, 20};
  r.series = {{"global", "", "availability", {1, 0.5, 1}}, {"service", "cdn.edge", "queue_wait_s", {0, 1, 2}}};
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    r.series[1].values[1] = bad;
    std::string expected;
    try {
      written_at_the_end(r);
    } catch (const std::logic_error& e) {
      expected = e.what();
    }
    ASSERT_FALSE(expected.empty());

    const auto dir = std::filesystem::temp_directory_path() / fmt::format("outagesim-stream-{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string got;
    try {
      AtomicFile file(dir / "timeseries.csv");
      TimeseriesWriter rows(file.stream(), scenario::Compression::gzip, std::nullopt, 0);
      rows.set_series(r.series);
      for (std::size_t k = 0; k < r.t_s.size(); ++k) rows.write_sample(r.t_s[k], {r.series[0].values[k], r.series[1].values[k]});
      rows.finish();
      file.commit();
    } catch (const std::logic_error& e) {
      got = e.what();
    }
    EXPECT_EQ(got, expected);
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "neither the file nor its temporary is left";
    std::filesystem::remove_all(dir);
  }
  // A time that is not finite is refused likewise, before any value.
  std::ostringstream out;
  TimeseriesWriter rows(out, scenario::Compression::none, std::nullopt, 0);
  rows.set_series(r.series);
  rows.write_sample(std::nan(""), {1, 2});
  EXPECT_THROW(
      {
        try {
          rows.finish();
        } catch (const std::logic_error& e) {
          EXPECT_STREQ(e.what(), "timeseries.csv: sample 0 time is nan, not a finite number");
          throw;
        }
      },
      std::logic_error);
}

std::size_t held_values(const RunResult& r) {
  std::size_t n = 0;
  for (const auto& s : r.series) n += s.values.size();
  return n;
}

TEST(SeriesRetention, ARunHoldsOnlyTheSeriesReadAfterIt) {
  DrivenRun run("output: {resolution: 10s, series: [{scope: global, metric: availability}]}\n",
                SeriesRetention::with_report());
  const RunResult r = run.run();
  std::size_t held = 0;
  for (const auto& s : r.series) {
    SCOPED_TRACE(s.scope + " " + s.entity + " " + s.metric);
    const bool read = read_by_report(s) || (s.scope == "global" && (s.metric == "availability" || s.metric == "failed_rps"));
    EXPECT_EQ(s.held, read);
    EXPECT_EQ(s.values.size(), read ? r.t_s.size() : 0u);
    held += read ? 1 : 0;
  }
  // Dropped by the selection and read by nobody: not held (the cumulative totals, sites down).
  for (const auto& [scope, entity, metric] : std::vector<SeriesKey>{{"global", "", "sites_down"},
                                                                    {"global", "", "failed_requests_cumulative"},
                                                                    {"site", "hard.example", "failed_requests_cumulative"}}) {
    const Series* s = r.find(scope, entity, metric);
    ASSERT_NE(s, nullptr) << metric;  // still named, for lookups and warnings
    EXPECT_FALSE(s->held) << metric;
    EXPECT_TRUE(s->values.empty()) << metric;
  }
  EXPECT_LT(held, r.series.size());
  EXPECT_EQ(held_values(r), held * r.t_s.size());

  // A run without a report holds the headline's two series and what is asked for, nothing else.
  DrivenRun sweep_run("output: {resolution: 10s}\n",
                      SeriesRetention::without_report({{"site", "soft,example", "failed_requests_cumulative"}}));
  const RunResult s = sweep_run.run();
  EXPECT_EQ(held_values(s), 3 * s.t_s.size());
  EXPECT_TRUE(s.find("site", "soft,example", "failed_requests_cumulative")->held);
  EXPECT_FALSE(s.find("site", "soft,example", "availability")->held);
}

TEST(SeriesRetention, WhatIsHeldReadsAsIfEverySeriesWere) {
  // The same run holding every series and holding only what is read after it:
  // the same timeseries.csv, summary numbers, report.html and held values.
  const Provenance provenance{"0.1.0", "3.32.0", "four.yaml", "0123456789abcdef", {}, {}, {}};
  DrivenRun every("output: {resolution: 10s}\n", SeriesRetention::every_series());
  DrivenRun read("output: {resolution: 10s}\n", SeriesRetention::with_report());
  const RunResult all = every.run();
  const RunResult some = read.run();
  EXPECT_EQ(read.streamed(), every.streamed());
  EXPECT_EQ(some.availability_mean, all.availability_mean);
  EXPECT_EQ(some.failed_requests, all.failed_requests);
  EXPECT_EQ(render_report_html(some, provenance), render_report_html(all, provenance));
  EXPECT_LT(held_values(some), held_values(all));
  for (std::size_t i = 0; i < some.series.size(); ++i)
    if (some.series[i].held) {
      EXPECT_EQ(some.series[i].values, all.series[i].values) << some.series[i].metric;
    }
}

TEST(SeriesRetention, TheReportOfAScenarioWithQueuesReadsOnlyHeldSeries) {
  // Queues, caches, segments, routing: every section of report.html that reads a series.
  for (const char* file : {"/scenarios/examples/fault-latency-injection.yaml", "/scenarios/examples/dns-regional-caches.yaml",
                           "/scenarios/incidents/cloudflare-2025-11-18.yaml"}) {
    SCOPED_TRACE(file);
    const world::World world = world::build(scenario::load(std::string(OUTAGESIM_SOURCE_DIR) + file));
    world::WorldState state = world::WorldState::initial(world);
    Collector every(world, SeriesRetention::every_series());
    Collector read(world, SeriesRetention::with_report());
    for (double t : {0.0, 60.0, 120.0}) {
      state.now_s = t;
      every.on_sample(t, state);
      read.on_sample(t, state);
    }
    const RunResult all = every.finish();
    const RunResult some = read.finish();
    const Provenance provenance{"0.1.0", "3.32.0", file, "0123456789abcdef", {}, {}, {}};
    EXPECT_EQ(render_report_html(some, provenance), render_report_html(all, provenance));
    EXPECT_LT(held_values(some), held_values(all));
  }
}

}  // namespace
}  // namespace outagesim::metrics
