// The run directory contract of DESIGN.md: summary.json, timeseries.csv,
// events.jsonl, attribution.csv, report.html and manifest.json. Names and
// columns are stable and documented in docs/outputs.md; researchers' scripts
// depend on them.
#pragma once

#include "run_result.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace outagesim::metrics {

/// What the run directory records about how the run was made.
struct Provenance {
  std::string outagesim_version;
  std::string simgrid_version;
  std::string scenario_file;
  std::string scenario_hash;
  std::vector<std::string> command_line;
  std::vector<std::string> overrides;  ///< "path=value", as given
  std::vector<std::pair<std::string, std::string>> params;  ///< the scenario's parameters, resolved
};

void write_summary_json(std::ostream& out, const RunResult& result, const Provenance& provenance);
// timeseries.csv is streamed as the run samples: timeseries_writer.hpp.
/// "timeseries.csv", or "timeseries.csv.gz" when compressed.
std::string timeseries_file_name(scenario::Compression compression);
/// The name of the other form, left by an earlier run in the same directory.
std::string other_timeseries_file_name(const std::string& name);
/// One row per (outage interval, cause): site,start,end,fault,share.
void write_attribution_csv(std::ostream& out, const RunResult& result);
void write_manifest_json(std::ostream& out, const RunResult& result, const Provenance& provenance);

/// Names a value of summary.json: its keys below "metrics" joined by '/',
/// each escaped as in a JSON Pointer (RFC 6901: '~' -> "~0", '/' -> "~1").
/// {"channels", "cdn.features", "reach_t50"} -> "channels/cdn.features/reach_t50".
std::string metric_path(const std::vector<std::string>& keys);

/// Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace outagesim::metrics
