#include "run_directory.hpp"

#include "display_format.hpp"
#include "safeguards.hpp"
#include "sim/scenario/units.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

using nlohmann::ordered_json;

ordered_json optional_number(const std::optional<double>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json run_identity(const RunResult& r, const Provenance& p) {
  ordered_json j;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["start"] = scenario::format_utc_timestamp(r.start_epoch_s);
  j["duration_s"] = r.duration_s;
  j["resolution_s"] = r.resolution_s;
  j["outagesim_version"] = p.outagesim_version;
  j["simgrid_version"] = p.simgrid_version;
  j["scenario_hash"] = p.scenario_hash;
  return j;
}

/// The last line of defence: a number that is not finite is a bug of ours
/// (inputs are checked at load time), and a run must never end with one in
/// its outputs as if it had succeeded.
void require_finite(double value, const std::string& file, const std::string& what) {
  if (std::isfinite(value)) return;
  throw std::logic_error(fmt::format("{}: {} is {}, not a finite number", file, what, value));
}

void require_finite(const ordered_json& j, const std::string& file, std::vector<std::string>& keys) {
  if (j.is_number_float()) {
    require_finite(j.get<double>(), file, metric_path(keys));
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      keys.push_back(key);
      require_finite(value, file, keys);
      keys.pop_back();
    }
  } else if (j.is_array()) {
    for (std::size_t k = 0; k < j.size(); ++k) {
      keys.push_back(std::to_string(k));
      require_finite(j[k], file, keys);
      keys.pop_back();
    }
  }
}

}  // namespace

void write_summary_json(std::ostream& out, const RunResult& r, const Provenance& p) {
  ordered_json j = run_identity(r, p);
  j["status"] = r.interrupted ? "interrupted" : "complete";
  j["reached_s"] = r.reached_s;
  ordered_json m;
  m["availability_min"] = r.availability_min;
  m["availability_mean"] = r.availability_mean;
  m["failed_requests"] = r.failed_requests;
  m["failed_requests_unattributed"] = r.failed_requests_unattributed;
  m["sites"] = r.sites;
  m["sites_affected"] = r.sites_affected;
  m["site_down_below"] = r.site_down_below;
  m["impact_start"] = optional_number(r.impact_start);
  m["impact_end"] = optional_number(r.impact_end);
  ordered_json faults = ordered_json::object();
  for (const auto& f : r.faults) {
    faults[f.id] = {{"channel", f.channel},
                    {"injected_at", optional_number(f.injected_at)},
                    {"detected_at", optional_number(f.detected_at)},
                    {"mitigated_at", optional_number(f.mitigated_at)},
                    {"recovered_at", optional_number(f.recovered_at)},
                    {"sites_affected", f.sites_affected},
                    {"traffic_share_affected", f.traffic_share_affected},
                    {"failed_requests", f.failed_requests},
                    {"request_minutes_lost", f.request_minutes_lost},
                    {"user_minutes_lost", optional_number(f.user_minutes_lost)}};
  }
  m["faults"] = faults;
  ordered_json channels = ordered_json::object();
  for (const auto& c : r.channels) {
    channels[c.id] = {{"consumers", c.consumers},
                      {"first_bad_push_at", optional_number(c.first_bad_push_at)},
                      {"reach_t50", optional_number(c.reach_t50)},
                      {"reach_t95", optional_number(c.reach_t95)}};
  }
  m["channels"] = channels;
  ordered_json safeguards = ordered_json::object();
  for (const auto& s : r.safeguards)
    safeguards[safeguard_key(s)] = {
        {"kind", safeguard_kind_name(s.kind)},
        {"entity", s.entity},
        {"first_triggered_at", s.triggered_at.empty() ? ordered_json(nullptr) : ordered_json(s.triggered_at.front())},
        {"times_triggered", s.triggered_at.size()}};
  m["safeguards"] = safeguards;
  j["metrics"] = m;
  std::vector<std::string> keys;
  require_finite(j, "summary.json", keys);
  out << j.dump(2) << '\n';
}

std::string metric_path(const std::vector<std::string>& keys) {
  std::string path;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (k > 0) path += '/';
    for (char c : keys[k]) {
      if (c == '~') {
        path += "~0";
      } else if (c == '/') {
        path += "~1";
      } else {
        path += c;
      }
    }
  }
  return path;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string timeseries_file_name(scenario::Compression compression) {
  return compression == scenario::Compression::gzip ? "timeseries.csv.gz" : "timeseries.csv";
}

std::string other_timeseries_file_name(const std::string& name) {
  return name == "timeseries.csv" ? "timeseries.csv.gz" : "timeseries.csv";
}

void write_attribution_csv(std::ostream& out, const RunResult& r) {
  out << "site,start,end,fault,share\n";
  for (const auto& interval : r.outages) {
    require_finite(interval.start_s, "attribution.csv", "the start of an outage of " + interval.site);
    if (interval.end_s) require_finite(*interval.end_s, "attribution.csv", "the end of an outage of " + interval.site);
    for (const auto& s : interval.shares)
      require_finite(s.share, "attribution.csv", fmt::format("the share of {} in an outage of {}", s.fault, interval.site));
    const std::string start = fmt::format("{}", interval.start_s);
    const std::string end = interval.end_s ? fmt::format("{}", *interval.end_s) : std::string();
    for (const auto& s : interval.shares)
      out << csv_field(interval.site) << ',' << start << ',' << end << ',' << csv_field(s.fault) << ','
          << fmt::format("{}", s.share) << '\n';
  }
}

void write_manifest_json(std::ostream& out, const RunResult& r, const Provenance& p) {
  ordered_json j = run_identity(r, p);
  j["scenario_file"] = p.scenario_file;
  j["command_line"] = p.command_line;
  j["overrides"] = p.overrides;
  ordered_json params = ordered_json::object();
  for (const auto& [name, value] : p.params) params[name] = value;
  j["params"] = params;
  j["files"] = {"summary.json", timeseries_file_name(r.timeseries_compression), "events.jsonl", "attribution.csv", "report.html", "manifest.json",
                "scenario.yaml"};
  out << j.dump(2) << '\n';
}

}  // namespace outagesim::metrics
