#include "published_series.hpp"

#include "diagnostic.hpp"
#include "document_limits.hpp"
#include "input_file.hpp"
#include "suggest.hpp"
#include "units.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {
namespace {

const std::set<std::string> bases{"input", "scripted", "assumed", "calibrated", "predicted"};

/// Walks one file, collecting every problem with where it is.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  std::vector<Diagnostic> diagnostics;

  void error(const YAML::Node& at, const std::string& path, std::string message) {
    const YAML::Mark m = at.Mark();
    diagnostics.push_back({file_, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, path, std::move(message)});
  }

  /// Reports keys of `map` outside `known`, with a did-you-mean.
  void only_keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& known) {
    for (const auto& kv : map) {
      const auto key = kv.first.as<std::string>();
      if (std::find(known.begin(), known.end(), key) == known.end())
        error(kv.first, path, fmt::format("unknown key '{}'{}", key, did_you_mean(key, known)));
    }
  }

  std::optional<std::string> text(const YAML::Node& map, const std::string& path, const char* key, bool required) {
    const YAML::Node n = map[key];
    if (!n) {
      if (required) error(map, path, fmt::format("missing '{}'", key));
      return std::nullopt;
    }
    if (!n.IsScalar() || n.Scalar().empty()) {
      error(n, path + "." + key, "expected a non-empty text");
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::optional<double> timestamp(const YAML::Node& map, const std::string& path, const char* key, bool required) {
    const auto t = text(map, path, key, required);
    if (!t) return std::nullopt;
    const auto v = parse_utc_timestamp(*t);
    if (!v) error(map[key], path + "." + key, utc_timestamp_error(*t));
    return v;
  }

  std::optional<double> quantity(const YAML::Node& map, const std::string& path, const char* key, Unit unit) {
    const auto t = text(map, path, key, false);
    if (!t) return std::nullopt;
    const ParsedQuantity q = parse_quantity(*t, unit);
    if (!q.value) {
      error(map[key], path + "." + key, q.error);
      return std::nullopt;
    }
    if (const std::string why = range_error(unit, *q.value, *t); !why.empty()) {
      error(map[key], path + "." + key, why);
      return std::nullopt;
    }
    return q.value;
  }

  std::optional<int> count(const YAML::Node& map, const std::string& path, const char* key) {
    const auto t = text(map, path, key, false);
    if (!t) return std::nullopt;
    try {
      std::size_t used = 0;
      const int v = std::stoi(*t, &used);
      if (used == t->size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    error(map[key], path + "." + key, fmt::format("expected a whole number, at least 0, got '{}'", *t));
    return std::nullopt;
  }

  std::string basis(const YAML::Node& map, const std::string& path) {
    const auto b = text(map, path, "basis", true);
    if (b && !bases.contains(*b))
      error(map["basis"], path + ".basis",
            fmt::format("expected input, scripted, assumed, calibrated or predicted, got '{}'{}", *b,
                        did_you_mean(*b, {bases.begin(), bases.end()})));
    return b.value_or("");
  }

  void tolerance(const YAML::Node& map, const std::string& path, double& time_s, double& value) {
    const YAML::Node t = map["tolerance"];
    if (!t) return;
    if (!t.IsMap()) return error(t, path + ".tolerance", "expected {time: DURATION, value: SHARE}");
    only_keys(t, path + ".tolerance", {"time", "value"});
    if (auto v = quantity(t, path + ".tolerance", "time", Unit::duration)) time_s = *v;
    if (auto v = quantity(t, path + ".tolerance", "value", Unit::fraction)) value = *v;
  }

  PublishedPoint point(const YAML::Node& n, const std::string& path, const PublishedSeries& s, double time_tol,
                       double value_tol) {
    PublishedPoint p;
    p.line = n.Mark().line + 1;
    p.time_tolerance_s = time_tol;
    p.value_tolerance = value_tol;
    p.source_url = s.source_url;
    if (!n.IsMap()) {
      error(n, path, "expected a point: {at: TIMESTAMP, value | at_least | at_most: SHARE, basis: ..., reading: ...}");
      return p;
    }
    only_keys(n, path, {"at", "until", "value", "at_least", "at_most", "tolerance", "feature", "basis", "reading",
                        "source_url"});
    p.at_epoch_s = timestamp(n, path, "at", true).value_or(0);
    p.until_epoch_s = timestamp(n, path, "until", false);
    if (p.until_epoch_s && *p.until_epoch_s <= p.at_epoch_s)
      error(n["until"], path + ".until", "expected a time after 'at'");
    int given = 0;
    for (const auto& [key, bound] : {std::pair{"value", PointBound::equal}, std::pair{"at_least", PointBound::at_least},
                                     std::pair{"at_most", PointBound::at_most}}) {
      if (!n[key]) continue;
      ++given;
      p.bound = bound;
      p.value = quantity(n, path, key, Unit::fraction).value_or(0);
    }
    if (given != 1) error(n, path, "expected exactly one of value, at_least or at_most (a share: 28% or 0.28)");
    tolerance(n, path, p.time_tolerance_s, p.value_tolerance);
    if (const auto f = text(n, path, "feature", false)) {
      const std::vector<std::string> names{"onset", "plateau", "end"};
      if (*f == "onset") p.feature = ShapeFeature::onset;
      else if (*f == "plateau") p.feature = ShapeFeature::plateau;
      else if (*f == "end") p.feature = ShapeFeature::end;
      else error(n["feature"], path + ".feature", fmt::format("expected onset, plateau or end, got '{}'{}", *f, did_you_mean(*f, names)));
      if (p.feature == ShapeFeature::plateau && !p.until_epoch_s)
        error(n["feature"], path + ".feature", "a plateau is an interval: give 'until'");
    }
    p.basis = basis(n, path);
    p.reading = text(n, path, "reading", true).value_or("");
    if (auto u = text(n, path, "source_url", false)) p.source_url = *u;
    return p;
  }

  PublishedOscillations oscillations(const YAML::Node& n, const std::string& path, const PublishedSeries& s) {
    PublishedOscillations o;
    o.source_url = s.source_url;
    if (!n.IsMap()) {
      error(n, path, "expected {recoveries | at_least: N, cycle: DURATION, basis: ..., reading: ...}");
      return o;
    }
    only_keys(n, path, {"recoveries", "at_least", "cycle", "cycle_tolerance", "basis", "reading", "source_url"});
    o.recoveries = count(n, path, "recoveries");
    o.at_least = count(n, path, "at_least");
    if (o.recoveries.has_value() == o.at_least.has_value())
      error(n, path, "expected exactly one of recoveries (an exact count) or at_least");
    o.cycle_s = quantity(n, path, "cycle", Unit::duration);
    if (o.cycle_s && *o.cycle_s <= 0) error(n["cycle"], path + ".cycle", "expected a positive duration");
    if (auto t = quantity(n, path, "cycle_tolerance", Unit::duration)) o.cycle_tolerance_s = *t;
    if (n["cycle_tolerance"] && !o.cycle_s) error(n["cycle_tolerance"], path + ".cycle_tolerance", "a tolerance without a cycle");
    o.basis = basis(n, path);
    o.reading = text(n, path, "reading", true).value_or("");
    if (auto u = text(n, path, "source_url", false)) o.source_url = *u;
    return o;
  }

  PublishedSeries series(const YAML::Node& n, const std::string& path) {
    PublishedSeries s;
    if (!n.IsMap()) {
      error(n, path, "expected a series: {id, title, source_url, compares_with | not_compared, points}");
      return s;
    }
    only_keys(n, path, {"id", "title", "source_url", "compares_with", "not_compared", "unit", "failing", "tolerance",
                        "points", "oscillations"});
    s.id = text(n, path, "id", true).value_or("");
    s.title = text(n, path, "title", true).value_or("");
    s.source_url = text(n, path, "source_url", true).value_or("");
    s.unit = text(n, path, "unit", true).value_or("");
    if (!s.unit.empty() && s.unit != "share")
      error(n["unit"], path + ".unit", fmt::format("expected share (values written 28% or 0.28), got '{}'", s.unit));
    if (const YAML::Node c = n["compares_with"]) {
      const std::string at = path + ".compares_with";
      if (!c.IsMap()) {
        error(c, at, "expected {scope, entity, metric, as: value | failed_share}");
      } else {
        only_keys(c, at, {"scope", "entity", "metric", "as"});
        s.scope = text(c, at, "scope", true).value_or("");
        if (c["entity"] && c["entity"].IsScalar()) s.entity = c["entity"].Scalar();  // the global scope's is empty
        else if (s.scope != "global") error(c, at, "missing 'entity'");
        s.metric = text(c, at, "metric", true).value_or("");
        if (const auto as = text(c, at, "as", false)) {
          if (*as == "failed_share") s.read_as = ReadAs::failed_share;
          else if (*as != "value") error(c["as"], at + ".as", fmt::format("expected value or failed_share (1 - the simulated value), got '{}'", *as));
        }
      }
      if (n["not_compared"]) error(n["not_compared"], path + ".not_compared", "a series is either compared or not_compared");
    } else {
      s.not_compared = text(n, path, "not_compared", false).value_or("");
      if (s.not_compared.empty()) error(n, path, "expected compares_with: {scope, entity, metric}, or not_compared: REASON");
    }
    if (const YAML::Node f = n["failing"]) {
      if (!f.IsMap() || f.size() != 1 || !(f["above"] || f["below"])) {
        error(f, path + ".failing", "expected {above: SHARE} or {below: SHARE}: where the compared value is in the failing state");
      } else {
        s.failing_above = static_cast<bool>(f["above"]);
        s.failing_threshold = quantity(f, path + ".failing", s.failing_above ? "above" : "below", Unit::fraction).value_or(0);
      }
    } else if (s.compared()) {
      error(n, path, "missing 'failing' ({above: SHARE} or {below: SHARE}): the shape is scored from it");
    }
    double time_tol = 0, value_tol = 0;
    tolerance(n, path, time_tol, value_tol);
    const YAML::Node points = n["points"];
    if (!points || !points.IsSequence() || points.size() == 0) {
      error(points ? points : n, path + ".points", "expected a list of at least one point");
    } else {
      for (std::size_t k = 0; k < points.size(); ++k)
        s.points.push_back(point(points[k], fmt::format("{}.points[{}]", path, k), s, time_tol, value_tol));
      for (const ShapeFeature f : {ShapeFeature::onset, ShapeFeature::plateau, ShapeFeature::end}) {
        int marked = 0;
        for (std::size_t k = 0; k < s.points.size(); ++k)
          if (s.points[k].feature == f && ++marked == 2)
            error(points[k]["feature"], fmt::format("{}.points[{}].feature", path, k),
                  fmt::format("a second point marked {}: a series has one", shape_feature_name(f)));
      }
    }
    if (n["oscillations"]) s.oscillations = oscillations(n["oscillations"], path + ".oscillations", s);
    return s;
  }

 private:
  std::string file_;
};

}  // namespace

const char* shape_feature_name(ShapeFeature f) {
  switch (f) {
    case ShapeFeature::onset: return "onset";
    case ShapeFeature::plateau: return "plateau";
    case ShapeFeature::end: return "end";
    case ShapeFeature::none: break;
  }
  return "";
}

const char* point_bound_name(PointBound b) {
  switch (b) {
    case PointBound::equal: return "value";
    case PointBound::at_least: return "at_least";
    case PointBound::at_most: return "at_most";
  }
  return "";
}

PublishedSeriesFile load_published_series_from_string(const std::string& text, const std::string& file) {
  check_document(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError({{file, e.mark.line + 1, e.mark.column + 1, "", e.msg}});
  }
  Reader r(file);
  PublishedSeriesFile out;
  out.file = file;
  if (!root.IsMap()) {
    r.error(root, "", "expected a mapping: {incident: NAME, series: [...]}");
    throw ScenarioError(r.diagnostics);
  }
  r.only_keys(root, "", {"incident", "series"});
  out.incident = r.text(root, "", "incident", true).value_or("");
  const YAML::Node list = root["series"];
  if (!list || !list.IsSequence() || list.size() == 0) {
    r.error(list ? list : root, "series", "expected a list of at least one published series");
  } else {
    std::set<std::string> ids;
    for (std::size_t k = 0; k < list.size(); ++k) {
      out.series.push_back(r.series(list[k], fmt::format("series[{}]", k)));
      if (!out.series.back().id.empty() && !ids.insert(out.series.back().id).second)
        r.error(list[k]["id"], fmt::format("series[{}].id", k), fmt::format("series id '{}' is used twice", out.series.back().id));
    }
  }
  if (!r.diagnostics.empty()) throw ScenarioError(r.diagnostics);
  return out;
}

PublishedSeriesFile load_published_series(const std::string& path) {
  return load_published_series_from_string(read_input_file(path, "published-series file"), path);
}

}  // namespace outagesim::scenario
