#include "run_reader.hpp"

#include "csv_reader.hpp"
#include "gzip_stream.hpp"
#include "run_directory.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::ifstream open(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    throw RunDirectoryError(fmt::format("{}: missing (is {} a run directory written by `outagesim run`?)",
                                        file.string(), file.parent_path().string()));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw RunDirectoryError(fmt::format("{}: cannot be read", file.string()));
  return in;
}

ordered_json parse_json(const fs::path& file) {
  std::ifstream in = open(file);
  try {
    return ordered_json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw RunDirectoryError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
}

const ordered_json& member(const ordered_json& j, const char* key, bool (ordered_json::*is)() const noexcept,
                           const char* what, const fs::path& file) {
  if (!j.contains(key) || !(j.at(key).*is)())
    throw RunDirectoryError(
        fmt::format("{}: not an outagesim run summary: '{}' is missing or not {}", file.string(), key, what));
  return j.at(key);
}

void flatten(const ordered_json& j, std::vector<std::string>& keys, std::vector<SummaryValue>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      keys.push_back(key);
      flatten(value, keys, out);
      keys.pop_back();
    }
  } else if (j.is_number()) {
    out.push_back({metric_path(keys), j.get<double>()});
  } else if (j.is_null()) {
    out.push_back({metric_path(keys), std::nullopt});
  }
}

double number(const std::string& text, const char* column, const fs::path& file, std::size_t line) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty())
    throw RunDirectoryError(fmt::format("{}:{}: '{}' is not a number ({})", file.string(), line, text, column));
  return value;
}

void read_summary(LoadedRun& run) {
  const fs::path file = run.dir / "summary.json";
  const ordered_json j = parse_json(file);
  if (!j.is_object()) throw RunDirectoryError(fmt::format("{}: not an outagesim run summary: not an object", file.string()));
  run.scenario = member(j, "scenario", &ordered_json::is_string, "a string", file).get<std::string>();
  run.seed = member(j, "seed", &ordered_json::is_number_unsigned, "a whole number", file).get<std::uint64_t>();
  run.start = member(j, "start", &ordered_json::is_string, "a string", file).get<std::string>();
  run.duration_s = member(j, "duration_s", &ordered_json::is_number, "a number", file).get<double>();
  run.resolution_s = member(j, "resolution_s", &ordered_json::is_number, "a number", file).get<double>();
  if (j.contains("scenario_hash") && j["scenario_hash"].is_string()) run.scenario_hash = j["scenario_hash"];
  if (j.contains("outagesim_version") && j["outagesim_version"].is_string()) run.outagesim_version = j["outagesim_version"];
  std::vector<std::string> keys;
  flatten(member(j, "metrics", &ordered_json::is_object, "an object", file), keys, run.metrics);
}

void read_manifest(LoadedRun& run) {
  const fs::path file = run.dir / "manifest.json";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return;
  const ordered_json j = parse_json(file);
  if (j.is_object() && j.contains("overrides") && j["overrides"].is_array())
    for (const auto& o : j["overrides"])
      if (o.is_string()) run.overrides.push_back(o.get<std::string>());
}

void read_timeseries(LoadedRun& run) {
  // Either form: a run with `output.compress: gzip` wrote timeseries.csv.gz.
  std::error_code ec;
  const fs::path plain = run.dir / "timeseries.csv", compressed = run.dir / "timeseries.csv.gz";
  const bool gzipped = !fs::is_regular_file(plain, ec) && fs::is_regular_file(compressed, ec);
  const fs::path file = gzipped ? compressed : plain;
  std::ifstream raw = open(file);
  std::optional<GzipReader> inflating;
  std::optional<std::istream> inflated;
  if (gzipped) {
    inflating.emplace(raw);
    inflated.emplace(&*inflating);
  }
  std::istream& in = gzipped ? *inflated : static_cast<std::istream&>(raw);
  CsvReader csv(in);
  std::vector<std::string> f;
  try {
    if (!csv.next(f) || f != std::vector<std::string>{"t", "time_utc", "scope", "entity", "metric", "value"})
      throw RunDirectoryError(
          fmt::format("{}:1: expected the header t,time_utc,scope,entity,metric,value", file.string()));
    while (csv.next(f)) {
      if (f.size() != 6)
        throw RunDirectoryError(fmt::format("{}:{}: expected 6 fields, found {}", file.string(), csv.line(), f.size()));
      const double t = number(f[0], "t", file, csv.line());
      const double value = number(f[5], "value", file, csv.line());
      TimedSeries* series = nullptr;
      if (f[2] == "global" && f[4] == "availability") {
        series = &run.availability;
      } else if (f[2] == "channel" && f[4] == "config_reach") {
        auto it = std::find_if(run.reach.begin(), run.reach.end(), [&](const auto& r) { return r.first == f[3]; });
        series = it != run.reach.end() ? &it->second : &run.reach.emplace_back(f[3], TimedSeries{}).second;
      }
      if (series == nullptr) continue;
      series->t_s.push_back(t);
      series->values.push_back(value);
    }
  } catch (const CsvError& e) {
    throw RunDirectoryError(fmt::format("{}: {}", file.string(), e.what()));
  }
  if (inflating && inflating->damaged())
    throw RunDirectoryError(fmt::format("{}: not a whole gzip file (damaged or cut short)", file.string()));
  if (run.availability.t_s.empty())
    throw RunDirectoryError(fmt::format("{}: no global availability series (a run whose output.series leaves it "
                                        "out cannot be compared)",
                                        file.string()));
}

std::string text_of(const ordered_json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

/// events.jsonl is optional for a comparison: without it, no markers.
void read_marks(LoadedRun& run) {
  const fs::path file = run.dir / "events.jsonl";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return;
  std::ifstream in = open(file);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    try {
      if (auto mark = mark_of_event_record(line)) run.marks.push_back(std::move(*mark));
    } catch (const nlohmann::json::exception& e) {
      throw RunDirectoryError(fmt::format("{}:{}: not a JSON object: {}", file.string(), number, e.what()));
    }
  }
}

}  // namespace

std::optional<TimelineMark> mark_of_event_record(const std::string& jsonl_line) {
  const ordered_json j = ordered_json::parse(jsonl_line);
  if (!j.is_object() || !j.contains("t") || !j["t"].is_number()) return std::nullopt;
  const double t = j["t"].get<double>();
  const std::string kind = text_of(j, "kind"), entity = text_of(j, "entity");
  using world::MarkerKind;
  if (kind == "fault_injected") return TimelineMark{t, "fault " + entity, MarkerKind::fault_start};
  if (kind == "fault_ended") return TimelineMark{t, "end of fault " + entity, MarkerKind::fault_end};
  if (kind == "operator_detected") return TimelineMark{t, entity + " detects", MarkerKind::action};
  if (kind == "operator_action") {
    const std::string target = j.contains("channel") ? text_of(j, "channel") : text_of(j, "service");
    return TimelineMark{t, fmt::format("{}: {} {}", entity, text_of(j, "action"), target), MarkerKind::action};
  }
  if (kind == "record_changed" && text_of(j, "reason") == "failover")
    return TimelineMark{t, "DNS failover: " + entity, MarkerKind::action};
  if (kind == "load_balancer_changed" && text_of(j, "reason") == "zone_withdrawn")
    return TimelineMark{t, fmt::format("zone failover: {} leaves {}", entity, text_of(j, "zone")), MarkerKind::action};
  if (kind == "rollout_halted") {
    const bool rolled_back = j.contains("rolled_back") && j["rolled_back"].is_boolean() && j["rolled_back"].get<bool>();
    return TimelineMark{t,
                        fmt::format("{} rollout of {} halted{}", text_of(j, "by") == "health_gate" ? "health gate:" : "operator:",
                                    entity, rolled_back ? " and rolled back" : ""),
                        MarkerKind::action};
  }
  return std::nullopt;
}

LoadedRun read_run_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw RunDirectoryError(fmt::format("{}: not a directory", dir.string()));
  LoadedRun run;
  run.dir = dir;
  fs::path absolute = fs::absolute(dir).lexically_normal();
  if (!absolute.has_filename()) absolute = absolute.parent_path();
  run.name = absolute.filename().string();
  read_summary(run);
  read_manifest(run);
  read_timeseries(run);
  read_marks(run);
  return run;
}

}  // namespace outagesim::metrics
