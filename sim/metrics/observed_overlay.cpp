#include "observed_overlay.hpp"

#include "display_format.hpp"
#include "shape_score.hpp"

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

using scenario::PointBound;
using scenario::PublishedPoint;
using scenario::PublishedSeries;

std::string simulated_name(const PublishedSeries& s) {
  const std::string series = fmt::format("{} {} {}", s.scope, s.entity.empty() ? "(all)" : s.entity, s.metric);
  return s.read_as == scenario::ReadAs::failed_share ? "1 - " + series : series;
}

std::string published_text(const PublishedPoint& p) {
  switch (p.bound) {
    case PointBound::equal: return percent(p.value);
    case PointBound::at_least: return ">= " + percent(p.value);
    case PointBound::at_most: return "<= " + percent(p.value);
  }
  return "";
}

std::string when_text(const RunResult& r, const PublishedPoint& p) {
  std::string text = utc_time_in_run(r.start_epoch_s, p.at_epoch_s - r.start_epoch_s);
  if (p.until_epoch_s) text += " to " + utc_time_in_run(r.start_epoch_s, *p.until_epoch_s - r.start_epoch_s);
  return text;
}

/// The legend's label: the series and its source, short enough for one legend row.
std::string legend_label(const PublishedSeries& s) {
  std::string title = s.title;
  const std::size_t room = 140 > s.source_url.size() + 24 ? 140 - s.source_url.size() - 24 : 20;
  if (title.size() > room) title = title.substr(0, room - 3) + "...";
  return fmt::format("published: {} (source: {})", title, s.source_url);
}

ChartObserved overlay(const RunResult& r, const PublishedSeries& s) {
  ChartObserved o{legend_label(s), {}, 3};
  for (const auto& p : s.points) {
    ChartObservedBox b;
    const double at = p.at_epoch_s - r.start_epoch_s;
    b.interval = p.until_epoch_s.has_value();
    b.t0_s = b.interval ? at : at - p.time_tolerance_s;
    b.t1_s = b.interval ? *p.until_epoch_s - r.start_epoch_s : at + p.time_tolerance_s;
    b.t_s = at;
    b.value = p.value;
    switch (p.bound) {
      case PointBound::equal: b.low = p.value - p.value_tolerance; b.high = p.value + p.value_tolerance; break;
      case PointBound::at_least: b.low = p.value; b.high = 1; break;
      case PointBound::at_most: b.low = 0; b.high = p.value; break;
    }
    b.title = fmt::format("{} {}: {}", when_text(r, p), published_text(p), p.reading);
    o.boxes.push_back(b);
  }
  return o;
}

std::string series_section(const RunResult& r, const scenario::PublishedSeriesFile& file, const PublishedSeries& s,
                           const std::vector<ChartMarker>& markers) {
  std::string html = fmt::format("<h3 id=\"observed-{}\">{}</h3>\n", html_escape(s.id), html_escape(s.title));
  if (!s.compared()) {
    return html + fmt::format("<p>Not compared: {} (source: <a href=\"{}\">{}</a>).</p>\n", html_escape(s.not_compared),
                              html_escape(s.source_url), html_escape(s.source_url));
  }
  const Series* sim = r.find(s.scope, s.entity, s.metric);
  if (sim == nullptr) return html + "<p>The run has no series " + html_escape(simulated_name(s)) + ".</p>\n";
  std::vector<double> compared;
  for (double v : sim->values) compared.push_back(s.compared_value(v));
  ChartSpec chart{"chart-observed-" + s.id, s.title, "share (%)", 0, 1, true, r.start_epoch_s, &r.t_s,
                  {{"simulated: " + simulated_name(s), &compared}}, markers};
  chart.observed.push_back(overlay(r, s));
  html += fmt::format("<p>From <code>{}</code>. Simulated: <code>{}</code>, failing {} {}. Dashed boxes: each "
                      "published point with its tolerance in time and value (an interval: its span; a bound reaches "
                      "the axis); hover for how it was read.</p>\n",
                      html_escape(file.file), html_escape(simulated_name(s)), s.failing_above ? "above" : "below",
                      percent(s.failing_threshold));
  html += render_line_chart(chart);

  const SeriesScore score = score_series(s, r.start_epoch_s, r.t_s, sim->values);
  html += fmt::format("<p class=\"shape-score\" data-series=\"{}\">Shape: {} of {} features within tolerance; "
                      "points: {} of {} within.</p>\n",
                      html_escape(s.id), score.features_within(), score.features.size(), score.points_within(),
                      score.points.size());
  html += "<table class=\"shape\"><tr><th>feature</th><th>published</th><th>basis</th><th>simulated</th>"
          "<th>within</th></tr>\n";
  for (const auto& f : score.features)
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", html_escape(f.name),
                        html_escape(f.published), html_escape(f.basis), html_escape(f.simulated), f.pass ? "yes" : "<strong>no</strong>");
  html += "</table>\n<table class=\"points\"><tr><th>when (UTC)</th><th>published</th><th>tolerance</th><th>basis</th>"
          "<th>how it was read</th><th>simulated</th><th>within</th></tr>\n";
  for (std::size_t k = 0; k < s.points.size(); ++k) {
    const auto& p = s.points[k];
    const auto& ps = score.points[k];
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        html_escape(when_text(r, p)), html_escape(published_text(p)),
                        html_escape(fmt::format("± {}{}", duration(p.time_tolerance_s),
                                                p.bound == PointBound::equal ? ", ± " + percent(p.value_tolerance) : "")),
                        html_escape(p.basis), html_escape(p.reading), html_escape(ps.simulated),
                        ps.pass ? "yes" : "<strong>no</strong>");
  }
  return html + "</table>\n";
}

}  // namespace

std::string missing_simulated_series(const RunResult& r, const scenario::PublishedSeriesFile& file) {
  for (const auto& s : file.series)
    if (s.compared() && r.find(s.scope, s.entity, s.metric) == nullptr)
      return fmt::format("{}: series '{}' is compared with {} {} {}, which this run does not have", file.file, s.id,
                         s.scope, s.entity.empty() ? "(global)" : s.entity, s.metric);
  return {};
}

std::vector<SeriesKey> series_compared_by(const std::vector<scenario::PublishedSeriesFile>& observed) {
  std::vector<SeriesKey> keys;
  for (const auto& file : observed)
    for (const auto& s : file.series)
      if (s.compared()) keys.push_back({s.scope, s.entity, s.metric});
  return keys;
}

std::string observed_section(const RunResult& r, const std::vector<scenario::PublishedSeriesFile>& observed,
                             const std::vector<ChartMarker>& markers) {
  if (observed.empty()) return {};
  std::string html =
      "<h2 id=\"observed\">Published observations</h2>\n<p>Points read from the postmortems' text and figures "
      "(<code>--observed</code>, docs/published-series.md), drawn over the simulated series they are compared with. "
      "Shape features: the onset (first failing sample), the recoveries before the series settles and whether "
      "its stretches follow the published cycle, the median level over the plateau, and the end of the tail (the "
      "first normal sample after the last failing one).</p>\n";
  for (const auto& file : observed)
    for (const auto& s : file.series) html += series_section(r, file, s, markers);
  return html;
}

}  // namespace outagesim::metrics
