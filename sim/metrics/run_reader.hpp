// Reads a finished run directory back (summary.json, timeseries.csv and, when
// present, manifest.json) into plain values, so that runs written by any
// outagesim version with this contract can be compared. Anything that is not
// such a directory is refused with a message that says which file and why.
#pragma once

#include "run_result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace outagesim::metrics {

class RunDirectoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One series read from timeseries.csv, with its own tick times.
struct TimedSeries {
  std::vector<double> t_s;
  std::vector<double> values;
};

/// A number of summary.json, by its metric_path below "metrics"; null stays empty.
struct SummaryValue {
  std::string path;
  std::optional<double> value;
};

struct LoadedRun {
  std::filesystem::path dir;
  std::string name;  ///< the directory's own name
  std::string scenario;
  std::uint64_t seed = 0;
  std::string start;  ///< UTC, as written
  double duration_s = 0;
  double resolution_s = 0;
  std::string scenario_hash;
  std::string outagesim_version;
  std::vector<std::string> overrides;  ///< from manifest.json; empty if it is missing
  std::vector<SummaryValue> metrics;   ///< every number (or null) below "metrics", in file order
  TimedSeries availability;            ///< global availability
  std::vector<std::pair<std::string, TimedSeries>> reach;  ///< config_reach per channel, in file order
  /// The timeline markers, read back from events.jsonl (none when it is
  /// missing): the same labels and kinds as the run's report.html.
  std::vector<TimelineMark> marks;
};

/// The marker of one events.jsonl record, as report.html labels it
/// (world/events.cpp), or none for a kind that marks no timeline.
std::optional<TimelineMark> mark_of_event_record(const std::string& jsonl_line);

/// Reads `dir`; throws RunDirectoryError when a file is missing or not in the documented format.
LoadedRun read_run_directory(const std::filesystem::path& dir);

}  // namespace outagesim::metrics
