// output.series and output.compress (docs/outputs.md): the entity patterns,
// the filters' scope and metric names against the declared series, and the
// gzip streams timeseries.csv.gz is written and read through.
#include "sim/metrics/gzip_stream.hpp"
#include "sim/metrics/series.hpp"
#include "sim/metrics/series_selection.hpp"
#include "sim/scenario/scenario.hpp"

#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

TEST(SeriesSelection, PatternsMatchAnyRunWithStarAndOneCharacterWithQuestionMark) {
  EXPECT_TRUE(matches_pattern("", ""));
  EXPECT_FALSE(matches_pattern("", "a"));
  EXPECT_TRUE(matches_pattern("*", ""));
  EXPECT_TRUE(matches_pattern("*", "aws.dynamodb"));
  EXPECT_TRUE(matches_pattern("aws.*", "aws.dynamodb"));
  EXPECT_FALSE(matches_pattern("aws.*", "gcp.spanner"));
  EXPECT_TRUE(matches_pattern("*/eu-west", "cdn.edge/eu-west"));
  EXPECT_FALSE(matches_pattern("*/eu-west", "cdn.edge/eu-west-2"));
  EXPECT_TRUE(matches_pattern("cdn.*/eu-*", "cdn.edge/eu-west"));
  EXPECT_TRUE(matches_pattern("site-?", "site-7"));
  EXPECT_FALSE(matches_pattern("site-?", "site-17"));
  EXPECT_TRUE(matches_pattern("a*b*c", "aXbYbZc"));  // needs the backtrack past the first b
  EXPECT_FALSE(matches_pattern("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(matches_pattern("**x", "x"));
}

TEST(SeriesSelection, ARowIsKeptWhenAnyFilterMatchesIt) {
  const Series global{"global", "", "availability", {}}, aws{"service", "aws.dynamodb", "availability", {}},
      aws_failed{"service", "aws.dynamodb", "failed_rps", {}}, gcp{"service", "gcp.spanner", "availability", {}};
  EXPECT_TRUE(SeriesSelection(std::nullopt).keeps(gcp));  // no filters: every row
  const SeriesSelection selection(std::vector<scenario::SeriesFilter>{
      {"global", "", ""}, {"service", "aws.*", "availability"}});
  EXPECT_TRUE(selection.keeps(global));
  EXPECT_TRUE(selection.keeps(aws));
  EXPECT_FALSE(selection.keeps(aws_failed));
  EXPECT_FALSE(selection.keeps(gcp));
  const SeriesSelection one_unused(std::vector<scenario::SeriesFilter>{{"global", "", ""}, {"site", "", ""}});
  EXPECT_EQ(one_unused.unmatched({global, aws}), std::vector<std::size_t>{1});
}

TEST(SeriesFilterNames, AreTheDeclaredSeries) {
  // The scenario loader checks filters against its own lists (it may not
  // include the metrics stage): they must be the declared ones exactly.
  std::set<std::string_view> scopes, metrics;
  for (const auto& d : series_declarations()) {
    scopes.insert(d.scope);
    metrics.insert(d.metric);
  }
  EXPECT_EQ(std::set<std::string_view>(scenario::series_scopes().begin(), scenario::series_scopes().end()), scopes);
  EXPECT_EQ(std::set<std::string_view>(scenario::series_metrics().begin(), scenario::series_metrics().end()), metrics);
}

std::string gzip(const std::string& text) {
  std::ostringstream sink;
  GzipWriter writer(sink);
  std::ostream out(&writer);
  out << text;
  out.flush();
  writer.finish();
  return sink.str();
}

std::string gunzip(const std::string& bytes, bool* damaged = nullptr) {
  std::istringstream source(bytes);
  GzipReader reader(source);
  std::istream in(&reader);
  std::ostringstream text;
  text << in.rdbuf();
  if (damaged) *damaged = reader.damaged();
  return text.str();
}

TEST(GzipStream, WhatIsWrittenIsReadBackWholeAndSmaller) {
  std::string text;
  for (int k = 0; k < 20000; ++k) text += "600,2025-11-18T11:30:00.000Z,service,cdn.proxy,availability," + std::to_string(k % 7) + "\n";
  ASSERT_GT(text.size(), 1u << 20);  // several of the writer's and reader's 64 KiB buffers
  const std::string compressed = gzip(text);
  EXPECT_LT(compressed.size(), text.size() / 10);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // a gzip member (RFC 1952)
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  bool damaged = true;
  EXPECT_EQ(gunzip(compressed, &damaged), text);
  EXPECT_FALSE(damaged);
  EXPECT_EQ(gzip(text), compressed);  // no time in the header: same bytes in, same bytes out
  EXPECT_EQ(gunzip(gzip("")), "");
}

TEST(GzipStream, ACutShortFileIsDamaged) {
  std::string text(100000, 'x');
  for (std::size_t k = 0; k < text.size(); k += 7) text[k] = static_cast<char>('a' + k % 26);
  const std::string compressed = gzip(text);
  bool damaged = false;
  const std::string part = gunzip(compressed.substr(0, compressed.size() / 2), &damaged);
  EXPECT_TRUE(damaged);
  EXPECT_LT(part.size(), text.size());
  gunzip("not gzip at all", &damaged);
  EXPECT_TRUE(damaged);
}

}  // namespace
}  // namespace outagesim::metrics
