// The tables of docs/outputs.md that follow from declarations in the code:
// the event types of events.jsonl (world/events.hpp) and the series of
// timeseries.csv (metrics/series/). A test checks that
// docs/outputs.md holds them as written here.
#pragma once

#include <string>

namespace outagesim::metrics {

/// events.jsonl's table: one row per event type, in declaration order.
[[nodiscard]] std::string event_table_markdown();

/// timeseries.csv's table: one row per declared series, in declaration order.
[[nodiscard]] std::string series_table_markdown();

}  // namespace outagesim::metrics
