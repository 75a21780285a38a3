#include "compare_report.hpp"

#include "display_format.hpp"
#include "page_style.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace {

using nlohmann::ordered_json;

enum class Kind { fraction, time, duration, count };

/// How a metric reads, from the last key of its path.
Kind kind_of(const std::string& path) {
  const std::string key = path.substr(path.rfind('/') + 1);
  auto ends_with = [&](const std::string& suffix) {
    return key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (key.rfind("availability", 0) == 0 || ends_with("_share_affected") || key == "site_down_below") return Kind::fraction;
  if (ends_with("_at") || key == "impact_start" || key == "impact_end") return Kind::time;
  if (key.rfind("reach_t", 0) == 0) return Kind::duration;
  return Kind::count;
}

std::string plain(double v) {
  if (std::fabs(v) >= 1000) return with_thousands(v);
  return fmt::format("{:.6g}", v);
}

}  // namespace

std::string shown_metric(const std::string& path, const std::optional<double>& v) {
  if (!v) return "none";
  switch (kind_of(path)) {
    case Kind::fraction: return percent(*v);
    case Kind::time: return offset(*v);  // the runs may start at different times: since each one's start
    case Kind::duration: return duration(*v);
    case Kind::count: return plain(*v);
  }
  return {};
}

std::string shown_difference(const MetricComparison& m) {
  std::optional<double> d = m.difference();
  if (!d) return "";
  // Rounding noise of the two runs' arithmetic reads as no difference.
  if (std::fabs(*d) <= 1e-9 * std::max(std::fabs(*m.a), std::fabs(*m.b))) d = 0.0;
  switch (kind_of(m.path)) {
    case Kind::fraction: return percentage_points(*d);
    case Kind::time:
    case Kind::duration: return offset(*d);
    case Kind::count: return fmt::format("{}{}", *d > 0 ? "+" : "", plain(*d));
  }
  return {};
}

namespace {

ordered_json optional_number(const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(nullptr); }

ordered_json identity(const LoadedRun& r) {
  return {{"dir", r.dir.string()},
          {"name", r.name},
          {"scenario", r.scenario},
          {"seed", r.seed},
          {"start", r.start},
          {"duration_s", r.duration_s},
          {"resolution_s", r.resolution_s},
          {"scenario_hash", r.scenario_hash},
          {"outagesim_version", r.outagesim_version},
          {"overrides", r.overrides}};
}

std::string identity_row(const std::string& name, const std::string& a, const std::string& b) {
  return fmt::format("<tr><th>{}</th><td>{}</td><td>{}</td></tr>\n", name, html_escape(a), html_escape(b));
}

/// B - A of two step series on A's times (while both runs last): B's value is
/// its last sample at or before each of A's, as a step series holds it.
TimedSeries difference_over_time(const TimedSeries& a, const TimedSeries& b) {
  TimedSeries d;
  std::size_t k = 0;
  for (std::size_t i = 0; i < a.t_s.size() && i < a.values.size(); ++i) {
    const double t = a.t_s[i];
    if (b.t_s.empty() || t < b.t_s.front() || t > b.t_s.back()) continue;
    while (k + 1 < b.t_s.size() && b.t_s[k + 1] <= t) ++k;
    d.t_s.push_back(t);
    d.values.push_back(b.values[k] - a.values[i]);
  }
  return d;
}

/// Both runs' markers, each label saying which run it is of.
std::vector<ChartMarker> markers_of(const LoadedRun& a, const LoadedRun& b) {
  std::vector<ChartMarker> out;
  for (const auto& m : a.marks) out.push_back({m.t_s, "A: " + m.label, m.kind});
  for (const auto& m : b.marks) out.push_back({m.t_s, "B: " + m.label, m.kind});
  return out;
}

std::string overrides_text(const LoadedRun& r) {
  if (r.overrides.empty()) return "none";
  std::string text;
  for (const auto& o : r.overrides) text += (text.empty() ? "--set " : " --set ") + o;
  return text;
}

}  // namespace

std::optional<double> MetricComparison::difference() const {
  if (!a || !b) return std::nullopt;
  return *b - *a;
}

Comparison compare_runs(LoadedRun a, LoadedRun b) {
  Comparison c;
  for (const auto& m : a.metrics) c.metrics.push_back({m.path, m.value, std::nullopt});
  for (const auto& m : b.metrics) {
    auto it = std::find_if(c.metrics.begin(), c.metrics.end(), [&](const auto& x) { return x.path == m.path; });
    if (it != c.metrics.end()) {
      it->b = m.value;
    } else {
      c.metrics.push_back({m.path, std::nullopt, m.value});
    }
  }
  c.a = std::move(a);
  c.b = std::move(b);
  return c;
}

void write_compare_json(std::ostream& out, const Comparison& c) {
  ordered_json j;
  j["a"] = identity(c.a);
  j["b"] = identity(c.b);
  ordered_json metrics = ordered_json::object();
  for (const auto& m : c.metrics)
    metrics[m.path] = {{"a", optional_number(m.a)}, {"b", optional_number(m.b)}, {"difference", optional_number(m.difference())}};
  j["metrics"] = metrics;
  out << j.dump(2) << '\n';
}

std::string render_compare_html(const Comparison& c) {
  const LoadedRun& a = c.a;
  const LoadedRun& b = c.b;
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>outagesim compare: {} vs {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                      html_escape(a.name), html_escape(b.name), page_style);
  html += fmt::format("<h1>{} vs {}</h1>\n<p class=\"meta\">A is drawn solid, B dashed; times are since each run's "
                      "start; differences are B - A.</p>\n",
                      html_escape(a.name), html_escape(b.name));
  html += "<table><tr><th></th><th>A</th><th>B</th></tr>\n";
  html += identity_row("run directory", a.dir.string(), b.dir.string());
  html += identity_row("scenario", a.scenario, b.scenario);
  html += identity_row("seed", std::to_string(a.seed), std::to_string(b.seed));
  html += identity_row("overrides", overrides_text(a), overrides_text(b));
  html += identity_row("start", a.start, b.start);
  html += identity_row("duration", duration(a.duration_s), duration(b.duration_s));
  html += identity_row("resolution", duration(a.resolution_s), duration(b.resolution_s));
  html += identity_row("scenario hash", a.scenario_hash, b.scenario_hash);
  html += identity_row("outagesim", a.outagesim_version, b.outagesim_version);
  html += "</table>\n";

  const std::vector<double> span{0.0, std::max(a.duration_s, b.duration_s)};
  double low = 1;
  for (const auto* run : {&a, &b})
    for (double v : run->availability.values) low = std::min(low, v);
  ChartSpec availability{"chart-compare-availability", "Global availability", "availability (% of requests served)",
                         std::max(0.0, std::floor(low * 10 - 1e-9) / 10), 1.0, true, 0, &span, {}, markers_of(a, b), true};
  availability.lines.push_back({"A", &a.availability.values, &a.availability.t_s, 0, false});
  availability.lines.push_back({"B", &b.availability.values, &b.availability.t_s, 1, true});
  html += "<h2>Availability</h2>\n" + render_line_chart(availability);
  if (!a.marks.empty() || !b.marks.empty()) html += marker_key_html();

  // Where the what-if gains or loses, sample by sample: B - A, symmetric around 0.
  const TimedSeries gain = difference_over_time(a.availability, b.availability);
  if (!gain.t_s.empty()) {
    double largest = 0;
    for (double v : gain.values) largest = std::max(largest, std::fabs(v));
    const double bound = std::max(0.1, std::ceil(largest * 10 - 1e-9) / 10);
    ChartSpec difference{"chart-compare-availability-difference", "Availability, B - A (above 0: B serves more)",
                         "B - A (percentage points)", -bound, bound, true, 0, &span, {}, markers_of(a, b), true};
    difference.lines.push_back({"B - A", &gain.values, &gain.t_s, 2, false});
    html += render_line_chart(difference);
  }

  ChartSpec reach{"chart-compare-config-reach", "Config reach: share of consumers running a bad version",
                  "consumers on a bad version (%)", 0, 1, true, 0, &span, {}, markers_of(a, b), true};
  std::vector<std::string> channels;
  for (const auto* run : {&a, &b})
    for (const auto& [channel, series] : run->reach)
      if (std::find(channels.begin(), channels.end(), channel) == channels.end()) channels.push_back(channel);
  for (std::size_t i = 0; i < channels.size(); ++i) {
    for (const auto* run : {&a, &b}) {
      auto it = std::find_if(run->reach.begin(), run->reach.end(), [&](const auto& r) { return r.first == channels[i]; });
      if (it == run->reach.end()) continue;
      const bool is_b = run == &b;
      reach.lines.push_back({(is_b ? "B " : "A ") + channels[i], &it->second.values, &it->second.t_s,
                             static_cast<int>(2 * i + (is_b ? 1 : 0)), is_b});
    }
  }
  if (!reach.lines.empty()) html += "<h2>Config reach</h2>\n" + render_line_chart(reach);

  html += "<h2>Metrics</h2>\n<p>Every number of the two summary.json files, named by its path below "
          "<code>metrics</code>.</p>\n<table><tr><th>metric</th><th>A</th><th>B</th><th>B - A</th></tr>\n";
  for (const auto& m : c.metrics) {
    html += fmt::format("<tr data-metric=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                        "<td class=\"num\">{}</td></tr>\n",
                        html_escape(m.path), html_escape(m.path), shown_metric(m.path, m.a),
                        shown_metric(m.path, m.b), shown_difference(m));
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace outagesim::metrics
