// docs/outputs.md's tables that follow from declarations in the code must say
// what the code declares: a new event type (world/events.hpp) or series
// (metrics/series/) shows up here until its row is in the docs.
#include "sim/metrics/output_tables.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

/// The first Markdown table after `heading` in docs/outputs.md, header row included.
std::string table_after(const std::string& heading) {
  std::ifstream in(OUTAGESIM_SOURCE_DIR "/docs/outputs.md");
  std::string line, table;
  bool in_section = false;
  while (std::getline(in, line)) {
    if (line == heading) in_section = true;
    else if (in_section && line.rfind("|", 0) == 0) table += line + "\n";
    else if (in_section && !table.empty()) break;
  }
  return table;
}

TEST(OutputsDoc, EventTableFollowsTheDeclarations) {
  const std::string expected = event_table_markdown();
  EXPECT_TRUE(table_after("## events.jsonl") == expected)
      << "docs/outputs.md's events.jsonl table differs from world/events.hpp's declarations; replace it with:\n"
      << expected;
}

TEST(OutputsDoc, SeriesTableFollowsTheDeclarations) {
  const std::string expected = series_table_markdown();
  EXPECT_TRUE(table_after("## timeseries.csv") == expected)
      << "docs/outputs.md's timeseries.csv table differs from the series declarations (metrics/series/); replace it "
         "with:\n"
      << expected;
}

}  // namespace
}  // namespace outagesim::metrics
