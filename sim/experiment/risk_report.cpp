#include "risk_report.hpp"

#include "xy_chart.hpp"

#include "sim/metrics/display_format.hpp"
#include "sim/metrics/page_style.hpp"
#include "sim/metrics/svg_chart.hpp"

#include <outagesim/version.hpp>

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace outagesim::experiment {
namespace {

using metrics::html_escape;

// risk_measures() order.
constexpr std::size_t sites_down = 0, sites_down_share = 1, availability_lost = 2, time_to_recover = 7;

/// Cases drawn in the ranking chart and curves drawn in the mitigation chart.
constexpr std::size_t ranked_shown = 20, curves_shown = 6;

std::string case_label(const RiskCase& c) {
  return fmt::format("{} {} ({})", c.kind == "dns_provider" ? "DNS provider" : c.kind, c.component,
                     template_name(c.fault_template));
}

/// Okabe-Ito colours of the fault templates in the ranking.
std::size_t template_colour(FaultTemplate t) {
  switch (t) {
    case FaultTemplate::outage: return 5;
    case FaultTemplate::bad_push: return 3;
    case FaultTemplate::regional: return 4;
  }
  return 0;
}

std::string percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.3g}%", *v * 100) : std::string("-");
}

/// Horizontal bars of availability lost, largest first, each with its 95%
/// interval as a whisker when there are replications.
std::string ranking_chart(const std::vector<RiskRow>& rows) {
  const std::size_t n = std::min(rows.size(), ranked_shown);
  double largest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& m = rows[i].measures[availability_lost];
    largest = std::max({largest, m.mean.value_or(0), m.ci95_high.value_or(0)});
  }
  if (largest <= 0) largest = 1;
  constexpr double label_width = 330, bar_width = 420, row_height = 22, top = 40;
  const double height = top + row_height * static_cast<double>(n) + 30;
  std::string svg = fmt::format(
      "<svg class=\"chart\" style=\"max-width: {0}px\" id=\"chart-risk-ranking\" viewBox=\"0 0 {0} {1}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><text class=\"chart-title\" x=\"0\" y=\"18\">"
      "Request-weighted availability lost over the run, by failed component</text>",
      label_width + bar_width + 110, height);
  for (int k = 0; k <= 4; ++k) {
    const double x = label_width + bar_width * k / 4.0;
    svg += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2:.1f}\"/>"
                       "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4:.3g}%</text>",
                       x, top - 6, height - 26, height - 10, largest * k / 4.0 * 100);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const RiskRow& r = rows[i];
    const auto& m = r.measures[availability_lost];
    const double y = top + row_height * static_cast<double>(i);
    const double w = bar_width * std::max(0.0, m.mean.value_or(0)) / largest;
    svg += fmt::format("<g class=\"risk-bar\" data-rank=\"{}\" data-availability-lost=\"{}\">", r.rank,
                       m.mean ? fmt::format("{:.6g}", *m.mean) : "");
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}. {}</text>",
                       label_width - 8, y + 15, r.rank, html_escape(case_label(*r.risk_case)));
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>", label_width,
                       y + 4, w, row_height - 8,
                       metrics::palette_colour(template_colour(r.risk_case->fault_template)));
    if (m.ci95_low && m.ci95_high)
      svg += fmt::format("<line x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#333\"/>",
                         label_width + bar_width * std::max(0.0, *m.ci95_low) / largest,
                         label_width + bar_width * *m.ci95_high / largest, y + row_height / 2);
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text></g>", label_width + w + 6, y + 15,
                       percent(m.mean));
  }
  svg += "</svg>\n<p class=\"key\">";
  for (FaultTemplate t : {FaultTemplate::outage, FaultTemplate::bad_push, FaultTemplate::regional})
    svg += fmt::format("<span style=\"color: {}\">&#9632; {}</span> ", metrics::palette_colour(template_colour(t)),
                       template_name(t));
  return svg + "</p>\n";
}

std::string ranking_table(const std::vector<RiskRow>& rows) {
  std::string html =
      "<table id=\"risk-table\"><tr><th>rank</th><th>failed component</th><th>template</th><th>runs ok</th>"
      "<th>sites down</th><th>of all sites</th><th>availability lost</th><th>95% interval</th>"
      "<th>time to recover</th><th>exposed traffic</th><th>of which indirect</th></tr>\n";
  for (const auto& r : rows) {
    const auto& lost = r.measures[availability_lost];
    const auto& recover = r.measures[time_to_recover].mean;
    html += fmt::format(
        "<tr><td class=\"num\">{}</td><td>{} {}</td><td>{}</td><td class=\"num\">{} of {}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        r.rank, r.risk_case->kind, html_escape(r.risk_case->component), template_name(r.risk_case->fault_template),
        r.ok, r.runs, r.measures[sites_down].mean ? fmt::format("{:.6g}", *r.measures[sites_down].mean) : "-",
        percent(r.measures[sites_down_share].mean), percent(lost.mean),
        lost.ci95_low ? fmt::format("{} to {}", percent(lost.ci95_low), percent(lost.ci95_high)) : "-",
        recover ? html_escape(metrics::duration(*recover)) : "-", percent(r.exposed_rps_share),
        percent(r.indirect_exposure_share));
  }
  return html + "</table>\n";
}

std::string concentration_table(const std::vector<ConcentrationRow>& rows) {
  std::string html =
      "<table id=\"concentration-table\"><tr><th>role</th><th>provider</th><th>sites</th><th>share</th><th>HHI</th>"
      "<th>single point of failure, direct</th><th>through providers' providers</th><th>published</th>"
      "<th>the 3 largest can affect (published: 50-70% for CDN, DNS, CA)</th></tr>\n";
  for (const auto& r : rows) {
    const bool role_row = r.provider.empty();
    html += fmt::format(
        "<tr{}><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        role_row ? " class=\"role\"" : "", html_escape(r.role), role_row ? "(all)" : html_escape(r.provider), r.sites,
        percent(r.share), r.hhi ? fmt::format("{:.0f}", *r.hhi) : "", percent(r.critical_direct_share),
        percent(r.critical_transitive_share),
        r.published ? fmt::format("{} ({})", percent(r.published), html_escape(r.published_source)) : "",
        r.top3_affected_share ? percent(r.top3_affected_share) : "");
  }
  return html + "</table>\n";
}

/// Availability lost against the mitigation's level for the cases it moves
/// most (largest first), each knee circled. Cases whose curves are the same
/// (a provider and the provider it depends on) share one line and label.
std::string mitigation_chart(const RiskVariation& vary, const std::vector<MitigationPoint>& points) {
  auto lost = [](const MitigationPoint* p) { return p->row.measures[availability_lost].mean; };
  struct Curve {
    std::vector<const MitigationPoint*> points;
    std::vector<std::string> labels;
    double largest = 0;
  };
  std::vector<Curve> curves;
  std::map<const RiskCase*, std::size_t> curve_of;
  for (const auto& p : points) {
    auto [it, added] = curve_of.try_emplace(p.row.risk_case, curves.size());
    if (added) curves.push_back({{}, {case_label(*p.row.risk_case)}, 0});
    Curve& c = curves[it->second];
    c.points.push_back(&p);
    c.largest = std::max(c.largest, lost(&p).value_or(0));
  }
  auto same = [&](const Curve& a, const Curve& b) {
    if (a.points.size() != b.points.size()) return false;
    for (std::size_t k = 0; k < a.points.size(); ++k)
      if (lost(a.points[k]) != lost(b.points[k])) return false;
    return true;
  };
  std::vector<Curve> shown;
  for (auto& c : curves) {
    if (c.largest <= 0) continue;
    const auto twin = std::find_if(shown.begin(), shown.end(), [&](const Curve& s) { return same(s, c); });
    if (twin != shown.end()) twin->labels.push_back(c.labels.front());
    else shown.push_back(std::move(c));
  }
  std::stable_sort(shown.begin(), shown.end(), [](const Curve& a, const Curve& b) { return a.largest > b.largest; });
  if (shown.size() > curves_shown) shown.resize(curves_shown);
  if (shown.empty()) return "<p>No case lost availability at any level.</p>\n";
  std::vector<double> xs, ys{0.0};
  for (const auto& c : shown)
    for (const auto* p : c.points) {
      xs.push_back(p->x);
      ys.push_back(lost(p).value_or(0));
    }
  const Axis x = axis_of(xs), y{0, *std::max_element(ys.begin(), ys.end()) * 1.05};
  std::string body, legend;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::string label = fmt::format("{}", fmt::join(shown[k].labels, "; "));
    std::vector<const MitigationPoint*> by_x = shown[k].points;
    std::stable_sort(by_x.begin(), by_x.end(), [](const auto* a, const auto* b) { return a->x < b->x; });
    std::string line;
    for (const auto* p : by_x) {
      if (!lost(p)) continue;
      line += fmt::format("{:.1f},{:.1f} ", x_pixel(x, p->x), y_pixel(y, *lost(p)));
      body += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"{}\"/>", x_pixel(x, p->x),
                          y_pixel(y, *lost(p)), metrics::palette_colour(k));
      if (p->knee_distance)
        body += fmt::format(
            "<circle class=\"knee\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"7\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\">"
            "<title>knee of {}: {}</title></circle>",
            x_pixel(x, p->x), y_pixel(y, *lost(p)), metrics::palette_colour(k), html_escape(label),
            html_escape(p->value));
    }
    body += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>", line,
                        metrics::palette_colour(k));
    legend += fmt::format("<span style=\"color: {}\">&#9632; {}</span> ", metrics::palette_colour(k), html_escape(label));
  }
  return xy_frame("chart-risk-mitigation", fmt::format("Availability lost against {}", vary.path), vary.path,
                  "availability lost", x, y, body, /*y_percent=*/true) +
         "<p class=\"key\">" + legend + "</p>\n";
}

}  // namespace

std::string render_risk_report(const RiskReport& report) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0} - outagesim risk map</title>"
      "<style>{1}</style></head><body>\n<h1>Systemic-risk map: {0}</h1>\n<p class=\"meta\">{2} cases, {3} runs of "
      "the map, {4} failed; every fault starts {5} after the start and lasts {6}; outagesim {7}</p>\n",
      html_escape(report.scenario), metrics::page_style, report.rows.size(), report.runs, report.failed,
      html_escape(metrics::duration(report.fault_at_s)), html_escape(metrics::duration(report.fault_for_s)),
      version);
  html += "<h2>Which single failure costs the most</h2>\n<p>Each component failed alone, ranked by the "
          "request-weighted availability the run lost against the run with no fault (docs/risk.md). Bars: the mean "
          "over the replications; whiskers: its 95% interval, when there are replications. Colours: the fault "
          "template (outage, bad push, regional).</p>\n";
  html += ranking_chart(report.rows) + ranking_table(report.rows);
  html += "<h2>Concentration</h2>\n<p>From the scenario's sites alone, without running anything: per provider role, "
          "the Herfindahl-Hirschman index of the providers' shares and the share of all sites with a single point of "
          "failure there, beside the published figure for the same share where there is one.</p>\n";
  html += concentration_table(report.concentration);
  if (report.vary) {
    html += fmt::format(
        "<h2>What would spare it: {}</h2>\n<p>The map run again at each level of <code>{}</code> ({}). The curves "
        "of the cases it moves most; a circle marks a curve's knee, the level past which more of the mitigation "
        "buys less (Kneedle; docs/risk.md). Every point is in mitigation.csv.</p>\n",
        html_escape(report.vary->path), html_escape(report.vary->path),
        html_escape(fmt::format("{}", fmt::join(report.vary->values, ", "))));
    html += mitigation_chart(*report.vary, report.curves);
  }
  return html + "</body></html>\n";
}

}  // namespace outagesim::experiment
