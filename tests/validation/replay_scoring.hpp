// Scoring the incident replays against the published record (issue #15),
// shared by the validation tests and by the generator of docs/validation.md
// (validate_replays.cpp, scripts/validate-replays.sh).
//
// An observation row (tests/validation/observations/<incident>.yaml) has a
// basis from a fixed set, names the simulated quantity it reads (rows
// reading the same quantity count once) and, when predicted, an ablation:
// overrides that remove or move the mechanism, under which the simulated
// value must leave the tolerance. Tolerances are measured from the nearest
// input or scripted event before the published time (a fault's start or
// end, an operator action), taken from the replay itself.
#pragma once

#include "tests/integration/cli_runner.hpp"
#include "sim/metrics/shape_score.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/published_series.hpp"
#include "sim/scenario/units.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace outagesim::validation {

namespace fs = std::filesystem;
using testing::Series;

/// A service or the network counts as failed while its availability is below this.
constexpr double failed_below = 0.99;
constexpr double ten_minutes_s = 600;
constexpr double magnitude_tolerance_pp = 3;

inline const std::vector<std::string>& replays() {
  static const std::vector<std::string> names{"cloudflare-2025-12-05", "cloudflare-2025-11-18",
                                              "aws-us-east-1-2025-10-20"};
  return names;
}

inline const std::set<std::string>& bases() {
  static const std::set<std::string> b{"input", "scripted", "assumed", "calibrated", "predicted"};
  return b;
}

inline fs::path source_dir() { return fs::path(OUTAGESIM_SOURCE_DIR); }
inline fs::path observations_file(const std::string& incident) {
  return source_dir() / "tests" / "validation" / "observations" / (incident + ".yaml");
}
inline fs::path scenario_file(const std::string& incident) {
  return source_dir() / "scenarios" / "incidents" / (incident + ".yaml");
}
/// The replay's published curves (docs/published-series.md).
inline fs::path curves_file(const std::string& incident) {
  return source_dir() / "tests" / "validation" / "observations" / (incident + ".series.yaml");
}
inline fs::path ensemble_spec(const std::string& incident) {
  return source_dir() / "scenarios" / "sweeps" / (incident + "-validation.yaml");
}

inline double utc(const std::string& text) {
  const auto t = scenario::parse_utc_timestamp(text);
  if (!t) throw std::runtime_error("bad timestamp in observations: " + text);
  return *t;
}
inline std::string hhmm(double epoch_s) { return scenario::format_utc_timestamp(epoch_s).substr(11, 8); }

enum class Kind { time, not_before, duration, percent, at_least, at_most };

struct Observation {
  std::string id, what, measure, quantity, basis, why, source_url;
  Kind kind = Kind::time;
  double published = 0;  ///< epoch seconds, seconds, percent or count
  std::vector<std::string> ablation;  ///< `--set` overrides
  std::string ablation_what;
  bool declared_miss = false;  ///< `miss: true`: outside its tolerance in the replay as committed
};

/// An input or scripted event of the replay: the anchors of the tolerances.
struct Anchor {
  double epoch_s = 0;
  std::string what;
};

struct Incident {
  std::string name;
  double trigger = 0;
  double start_epoch_s = 0;
  std::vector<Observation> observations;
  std::vector<std::pair<std::string, std::string>> not_represented;  ///< what, reason
  std::vector<Anchor> anchors;
};

inline std::vector<Anchor> anchors_of(const std::string& incident) {
  const scenario::Scenario s = scenario::load(scenario_file(incident).string());
  std::vector<Anchor> out;
  for (const auto& f : s.faults) {
    if (f.at.draw) continue;
    out.push_back({s.start_epoch_s + f.at.at_s, "fault " + f.id});
    if (f.duration_s) out.push_back({s.start_epoch_s + f.at.at_s + *f.duration_s, "end of fault " + f.id});
  }
  for (const auto& o : s.operators)
    for (std::size_t k = 0; k < o.actions.size(); ++k)
      if (o.actions[k].at && !o.actions[k].at->draw)
        out.push_back({s.start_epoch_s + o.actions[k].at->at_s, fmt::format("scripted action {}[{}]", o.name, k)});
  std::sort(out.begin(), out.end(), [](const Anchor& a, const Anchor& b) { return a.epoch_s < b.epoch_s; });
  return out;
}

/// Reads and checks an observation file: every rule a row must follow is
/// an exception naming the row.
inline Incident load_incident(const std::string& incident) {
  const YAML::Node file = YAML::LoadFile(observations_file(incident).string());
  Incident out;
  out.name = incident;
  out.trigger = utc(file["trigger_utc"].as<std::string>());
  out.anchors = anchors_of(incident);
  out.start_epoch_s = scenario::load(scenario_file(incident).string()).start_epoch_s;
  auto fail = [&](const std::string& id, const std::string& why) {
    throw std::runtime_error(fmt::format("{}: observation {}: {}", observations_file(incident).string(), id, why));
  };
  for (const auto& o : file["observations"]) {
    Observation r;
    r.id = o["id"].as<std::string>();
    r.what = o["what"].as<std::string>();
    r.measure = o["measure"].as<std::string>();
    r.quantity = o["quantity"] ? o["quantity"].as<std::string>() : r.measure;
    r.basis = o["basis"].as<std::string>();
    if (!bases().contains(r.basis)) fail(r.id, "basis must be input, scripted, assumed, calibrated or predicted");
    if (o["why"]) r.why = o["why"].as<std::string>();
    r.declared_miss = o["miss"] && o["miss"].as<bool>();
    if (!o["source_url"]) fail(r.id, "no source_url");
    r.source_url = o["source_url"].as<std::string>();
    if (o["time_utc"]) {
      r.kind = Kind::time;
      r.published = utc(o["time_utc"].as<std::string>());
    } else if (o["not_before_utc"]) {
      r.kind = Kind::not_before;
      r.published = utc(o["not_before_utc"].as<std::string>());
    } else if (o["duration_min"]) {
      r.kind = Kind::duration;
      r.published = 60 * o["duration_min"].as<double>();
    } else if (o["percent"]) {
      r.kind = Kind::percent;
      r.published = o["percent"].as<double>();
    } else if (o["at_most"]) {
      r.kind = Kind::at_most;
      r.published = o["at_most"].as<double>();
    } else if (o["at_least"]) {
      r.kind = Kind::at_least;
      r.published = o["at_least"].as<double>();
    } else {
      fail(r.id, "no time_utc, not_before_utc, duration_min, percent, at_least or at_most");
    }
    if (r.basis == "predicted") {
      if (!o["ablation"] || !o["ablation"]["set"] || !o["ablation"]["what"])
        fail(r.id, "a predicted row needs an ablation: {what: ..., set: [PATH=VALUE, ...]}");
      for (const auto& s : o["ablation"]["set"]) r.ablation.push_back(s.as<std::string>());
      r.ablation_what = o["ablation"]["what"].as<std::string>();
    } else if (r.why.empty()) {
      fail(r.id, "a row that is not predicted says `why`: which input, scripted action, assumed or calibrated figure fixes it");
    }
    out.observations.push_back(r);
  }
  for (const auto& o : file["not_represented"])
    out.not_represented.emplace_back(o["what"].as<std::string>(), o["reason"].as<std::string>());
  return out;
}

/// The latest input or scripted event at or before `epoch_s` (the trigger if none).
inline Anchor nearest_anchor(const Incident& incident, double epoch_s) {
  Anchor best{incident.trigger, "the trigger"};
  for (const auto& a : incident.anchors)
    if (a.epoch_s <= epoch_s && a.epoch_s >= best.epoch_s) best = a;
  return best;
}

/// The tolerance of a row, in its unit: a time within 10 minutes or 10% of
/// its distance from the nearest earlier input or scripted event; a
/// duration within 10 minutes or 10%; a share within 3 points; counts and
/// bounds exact.
inline double tolerance(const Incident& incident, const Observation& o) {
  switch (o.kind) {
    case Kind::time: return std::max(ten_minutes_s, 0.1 * (o.published - nearest_anchor(incident, o.published).epoch_s));
    case Kind::duration: return std::max(ten_minutes_s, 0.1 * o.published);
    case Kind::percent: return magnitude_tolerance_pp;
    default: return 0;
  }
}

/// One finished run directory and the measurements the observation files name.
class RunView {
 public:
  explicit RunView(fs::path dir) : dir_(std::move(dir)) {
    summary_ = testing::read_json(dir_ / "summary.json");
    events_ = testing::read_events(dir_);
    start_epoch_s_ = utc(summary_["start"].get<std::string>());
  }

  [[nodiscard]] const fs::path& dir() const { return dir_; }
  [[nodiscard]] double start_epoch_s() const { return start_epoch_s_; }
  [[nodiscard]] const std::vector<nlohmann::json>& events() const { return events_; }

  /// The value of `measure`: seconds from the run's start for times,
  /// seconds for durations, percent for shares, a count for counts. The
  /// `_before` / `_after` measures take a UTC time, an input time of the
  /// replay that separates two episodes of a series. Throws when the run
  /// has no such value (never failed, never recovered).
  [[nodiscard]] double measure(const std::string& spec) const {
    std::istringstream words(spec);
    std::string name, entity, when, until_when;
    words >> name >> entity >> when >> until_when;
    const double at = when.empty() ? 0.0 : utc(when) - start_epoch_s_;
    const auto& m = summary_["metrics"];
    auto number = [&](const char* key) {
      if (!m[key].is_number()) throw std::runtime_error(fmt::format("no {} in this run", key));
      return m[key].get<double>();
    };
    if (name == "impact_start") return number("impact_start");
    if (name == "impact_end") return number("impact_end");
    if (name == "impact_duration") return number("impact_end") - number("impact_start");
    if (name == "failed_share_peak") return 100 * (1 - number("availability_min"));
    if (name == "first_detection") return first_event("operator_detected");
    if (name == "full_impact") return full_impact();
    if (name == "first_failure_of_service") return first_failure(series("service", entity));
    if (name == "last_recovery_of_service") return last_recovery(series("service", entity));
    if (name == "last_recovery_of_service_before") return last_recovery(until(series("service", entity), at));
    if (name == "first_failure_of_service_after") return first_failure(from(series("service", entity), at));
    if (name == "first_recovery_of_service_after") return first_up(from(series("service", entity), at));
    if (name == "max_availability_of_service_between") {
      const auto window = until(from(series("service", entity), at), utc(until_when) - start_epoch_s_);
      if (window.empty()) throw std::runtime_error("no samples in " + spec);
      double most = 0;
      for (const auto& sample : window) most = std::max(most, sample.second);
      return 100 * most;
    }
    if (name == "recoveries_before_settling") return recoveries_before_settling(series("service", entity));
    if (name == "first_recovery_of_service") return first_recovery(series("service", entity));
    if (name == "last_recovery_of_site") return last_recovery(series("site", entity));
    if (name == "outage_duration_of_site") {
      const auto s = series("site", entity);
      return last_recovery(s) - first_failure(s);
    }
    if (name == "leases_held_again") return last_recovery(series("service", entity, "lease_share"));
    throw std::runtime_error("unknown measure: " + spec);
  }

  [[nodiscard]] Series series(const std::string& scope, const std::string& entity,
                              const std::string& metric = "availability") const {
    auto s = testing::read_series(dir_, scope, entity, metric);
    if (s.empty()) throw std::runtime_error(fmt::format("no {} series for {} {}", metric, scope, entity));
    return s;
  }

  static double recoveries_before_settling(const Series& s) {
    std::vector<double> recoveries, onsets;
    for (std::size_t k = 1; k < s.size(); ++k) {
      const bool was = s[k - 1].second < failed_below, is = s[k].second < failed_below;
      if (!was && is) onsets.push_back(s[k].first);
      if (was && !is) recoveries.push_back(s[k].first);
    }
    if (onsets.empty()) return 0;
    return static_cast<double>(
        std::count_if(recoveries.begin(), recoveries.end(), [&](double t) { return t < onsets.back(); }));
  }

 private:
  double first_event(const std::string& kind) const {
    for (const auto& e : events_)
      if (e["kind"] == kind) return e["t"].get<double>();
    throw std::runtime_error("no event " + kind);
  }

  /// First sample at which the global availability is within 0.5 points of its minimum.
  double full_impact() const {
    const auto s = series("global", "");
    const double low = summary_["metrics"]["availability_min"].get<double>();
    for (const auto& [t, a] : s)
      if (a <= low + 0.005) return t;
    throw std::runtime_error("no full impact");
  }

  static Series until(Series s, double t) {
    std::erase_if(s, [t](const auto& sample) { return sample.first >= t; });
    return s;
  }
  static Series from(Series s, double t) {
    std::erase_if(s, [t](const auto& sample) { return sample.first < t; });
    return s;
  }
  static double first_failure(const Series& s) {
    for (const auto& [t, a] : s)
      if (a < failed_below) return t;
    throw std::runtime_error("never failed");
  }
  /// The first working sample.
  static double first_up(const Series& s) {
    for (const auto& [t, a] : s)
      if (a >= failed_below) return t;
    throw std::runtime_error("never recovered");
  }
  static double first_recovery(const Series& s) {
    for (std::size_t k = 1; k < s.size(); ++k)
      if (s[k - 1].second < failed_below && s[k].second >= failed_below) return s[k].first;
    throw std::runtime_error("never recovered");
  }
  static double last_recovery(const Series& s) {
    for (std::size_t k = s.size(); k-- > 1;)
      if (s[k - 1].second < failed_below && s[k].second >= failed_below) return s[k].first;
    throw std::runtime_error("never recovered");
  }

  fs::path dir_;
  nlohmann::json summary_;
  std::vector<nlohmann::json> events_;
  double start_epoch_s_ = 0;
};

/// Every compared published series scored in `run`, by series id.
inline std::map<std::string, metrics::SeriesScore> score_curves(const scenario::PublishedSeriesFile& curves,
                                                                const RunView& run) {
  std::map<std::string, metrics::SeriesScore> out;
  for (const auto& s : curves.series) {
    if (!s.compared()) continue;
    std::vector<double> t, v;
    for (const auto& [ts, value] : run.series(s.scope, s.entity, s.metric)) {
      t.push_back(ts);
      v.push_back(value);
    }
    out[s.id] = metrics::score_series(s, run.start_epoch_s(), t, v);
  }
  return out;
}

/// Runs a replay with `overrides` into a fresh directory.
inline RunView run_replay(const std::string& incident, const std::vector<std::string>& overrides = {},
                          const std::string& tag = "") {
  const fs::path dir = testing::fresh_dir("replay-" + incident + tag);
  std::string sets;
  for (const auto& s : overrides) sets += fmt::format(" --set '{}'", s);
  const auto o = testing::outagesim(fmt::format("run '{}' --out '{}'{}", scenario_file(incident).string(), dir.string(), sets));
  if (o.exit_code != 0) throw std::runtime_error("replay failed: " + o.err);
  return RunView(dir);
}

/// A row measured in one run.
struct Score {
  std::optional<double> value;  ///< in the row's unit (epoch seconds for times); none if the run has no such output
  bool pass = false;
  std::string error;            ///< why there is no value
};

inline Score score(const Incident& incident, const Observation& o, const RunView& run) {
  Score s;
  double v = 0;
  try {
    v = run.measure(o.measure);
  } catch (const std::runtime_error& e) {
    s.error = e.what();
    return s;
  }
  const double tol = tolerance(incident, o);
  switch (o.kind) {
    case Kind::time: v += run.start_epoch_s(); s.pass = std::abs(v - o.published) <= tol; break;
    case Kind::not_before: v += run.start_epoch_s(); s.pass = v >= o.published; break;
    case Kind::duration: s.pass = std::abs(v - o.published) <= tol; break;
    case Kind::percent: s.pass = std::abs(v - o.published) <= tol; break;
    case Kind::at_least: s.pass = v >= o.published; break;
    case Kind::at_most: s.pass = v <= o.published; break;
  }
  s.value = v;
  return s;
}

/// A value in the row's unit, as the tables print it.
inline std::string show(const Observation& o, double v) {
  switch (o.kind) {
    case Kind::time:
    case Kind::not_before: return hhmm(v);
    case Kind::duration: return fmt::format("{:.1f} min", v / 60);
    case Kind::percent: return fmt::format("{:.1f}%", v);
    case Kind::at_least: return fmt::format("{:g}", v);
    case Kind::at_most: return fmt::format("{:.1f}", v);
  }
  return "";
}
inline std::string show_published(const Observation& o) {
  switch (o.kind) {
    case Kind::time: return hhmm(o.published);
    case Kind::not_before: return "not before " + hhmm(o.published);
    case Kind::duration: return fmt::format("{:g} min", o.published / 60);
    case Kind::percent: return fmt::format("{:g}%", o.published);
    case Kind::at_least: return fmt::format(">= {:g}", o.published);
    case Kind::at_most: return fmt::format("<= {:g}", o.published);
  }
  return "";
}
inline std::string show_tolerance(const Incident& incident, const Observation& o) {
  switch (o.kind) {
    case Kind::time: {
      const auto a = nearest_anchor(incident, o.published);
      return fmt::format("±{:.1f} min (from {} at {})", tolerance(incident, o) / 60, a.what, hhmm(a.epoch_s));
    }
    case Kind::duration: return fmt::format("±{:.1f} min", tolerance(incident, o) / 60);
    case Kind::percent: return "±3 pp";
    case Kind::not_before: return "bound";
    case Kind::at_least: return "minimum";
    case Kind::at_most: return "maximum";
  }
  return "";
}

/// The ablation of a predicted row: does the value leave the tolerance?
struct AblationResult {
  Score nominal, ablated;
  bool is_prediction = false;
};

inline AblationResult ablate(const Incident& incident, const Observation& o, const RunView& nominal) {
  AblationResult r;
  r.nominal = score(incident, o, nominal);
  const RunView ablated = run_replay(incident.name, o.ablation, "-ablation-" + o.id);
  r.ablated = score(incident, o, ablated);
  // No such output any more (never failed) also counts as moved.
  r.is_prediction = !r.ablated.pass;
  return r;
}

/// The honest tally of one run: distinct quantities, and of them the predicted ones.
struct Tally {
  int compared_rows = 0, quantities = 0, predicted = 0, predicted_within = 0;
  std::map<std::string, int> by_basis;  ///< distinct quantities per basis
};

/// Quantities count once; a quantity is predicted when any of its rows is,
/// and within tolerance when every predicted row on it is.
inline Tally tally(const Incident& incident, const std::map<std::string, Score>& scores) {
  Tally t;
  std::map<std::string, std::string> basis_of;
  std::map<std::string, bool> within;
  for (const auto& o : incident.observations) {
    ++t.compared_rows;
    auto& b = basis_of[o.quantity];
    if (b.empty() || o.basis == "predicted") b = o.basis;
    if (o.basis == "predicted") {
      const bool pass = scores.at(o.id).pass;
      within[o.quantity] = within.contains(o.quantity) ? within[o.quantity] && pass : pass;
    }
  }
  t.quantities = static_cast<int>(basis_of.size());
  for (const auto& [q, b] : basis_of) ++t.by_basis[b];
  t.predicted = t.by_basis["predicted"];
  for (const auto& [q, ok] : within) t.predicted_within += ok ? 1 : 0;
  return t;
}

}  // namespace outagesim::validation
