#include "report.hpp"

#include "sim/scenario/units.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

constexpr const char* style = R"(
body { font: 15px/1.45 system-ui, sans-serif; color: #1a1a1a; max-width: 1240px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 18px; margin-top: 32px; }
.meta { color: #555; }
.headline { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; margin: 16px 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; }
.card .value { font-size: 22px; font-weight: 600; } .card .name { color: #555; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border-bottom: 1px solid #e4e4e4; padding: 4px 12px; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
svg.chart { width: 100%; height: auto; max-width: 1200px; }
.chart-title { font-size: 15px; font-weight: 600; } .tick { font-size: 12px; fill: #444; } .axis-label { font-size: 13px; fill: #333; }
.legend { font-size: 12px; } .grid { stroke: #e6e6e6; }
.marker.fault { stroke: #D55E00; stroke-width: 1.5; stroke-dasharray: 6 3; }
.marker.action { stroke: #0072B2; stroke-width: 1.5; stroke-dasharray: 2 3; }
.key span { margin-right: 18px; }
)";

std::string percent(double v) { return fmt::format("{:.4g}%", v * 100); }

std::string when(const RunResult& r, const std::optional<double>& t) {
  if (!t) return "none";
  return fmt::format("{} (+{:g}s)", scenario::format_utc_timestamp(r.start_epoch_s + *t), *t);
}

/// "11:20:10Z (+1210 s)": the time of day is enough for a headline card.
std::string short_when(const RunResult& r, const std::optional<double>& t) {
  if (!t) return "none";
  return fmt::format("{} (+{:g} s)", scenario::format_utc_timestamp(r.start_epoch_s + *t).substr(11), *t);
}

/// 157500000 -> "157,500,000".
std::string with_thousands(double value) {
  std::string digits = fmt::format("{:.0f}", value);
  std::string out;
  const std::size_t first = digits.front() == '-' ? 1 : 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > first && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string seconds(const std::optional<double>& s) { return s ? fmt::format("{:.3g} s", *s) : "not reached"; }

std::string card(const std::string& metric, const std::string& name, const std::string& value) {
  return fmt::format("<div class=\"card\"><div class=\"name\">{}</div><div class=\"value\" data-metric=\"{}\">{}</div></div>\n",
                     html_escape(name), metric, html_escape(value));
}

std::vector<ChartMarker> markers(const RunResult& r) {
  std::vector<ChartMarker> out;
  for (const auto& m : r.marks) out.push_back({m.t_s, m.label, m.is_fault});
  return out;
}

}  // namespace

std::string render_report_html(const RunResult& r, const Provenance& p) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>outagesim: {}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(r.scenario), style);
  html += fmt::format("<h1>{}</h1>\n<p class=\"meta\">start {} &middot; duration {:g} s &middot; resolution {:g} s "
                      "&middot; seed {} &middot; outagesim {} on SimGrid {} &middot; scenario hash {}</p>\n",
                      html_escape(r.scenario), scenario::format_utc_timestamp(r.start_epoch_s), r.duration_s,
                      r.resolution_s, r.seed, html_escape(p.outagesim_version), html_escape(p.simgrid_version),
                      html_escape(p.scenario_hash));

  html += "<section class=\"headline\">\n";
  html += card("availability_min", "lowest global availability", percent(r.availability_min));
  html += card("availability_mean", "mean availability (request-weighted)", percent(r.availability_mean));
  html += card("failed_requests", "failed requests", with_thousands(r.failed_requests));
  html += card("sites_affected", fmt::format("sites down at some point (below {})", percent(r.site_down_below)),
               fmt::format("{} of {}", r.sites_affected, r.sites));
  html += card("impact_start", "impact starts (UTC)", short_when(r, r.impact_start));
  html += card("impact_end", "impact ends (UTC)", short_when(r, r.impact_end));
  html += "</section>\n";

  const Series* global = r.find("global", "", "availability");
  double low = global ? *std::min_element(global->values.begin(), global->values.end()) : 0;
  ChartSpec availability{"chart-global-availability", "Global availability", "availability (% of requests served)",
                         std::max(0.0, std::floor(low * 10 - 1e-9) / 10), 1.0, true, r.start_epoch_s, &r.t_s,
                         {{"global", global ? &global->values : nullptr}}, markers(r)};
  if (global) html += "<h2>Availability</h2>\n" + render_line_chart(availability);
  html += "<p class=\"key\"><span style=\"color:#D55E00\">- - fault</span><span style=\"color:#0072B2\">&middot;&middot;&middot; "
          "operator action</span></p>\n";

  ChartSpec reach{"chart-config-reach", "Config reach: share of consumers running a bad version",
                  "consumers on a bad version (%)", 0, 1, true, r.start_epoch_s, &r.t_s, {}, markers(r)};
  ChartSpec services{"chart-service-availability", "Availability per provider and service",
                     "availability (% of requests served)", 0, 1, true, r.start_epoch_s, &r.t_s, {}, markers(r)};
  for (const auto& s : r.series) {
    if (s.metric == "config_reach") reach.lines.push_back({s.entity, &s.values});
    if ((s.scope == "provider" || s.scope == "service") && s.metric == "availability")
      services.lines.push_back({s.scope + " " + s.entity, &s.values});
  }
  if (!reach.lines.empty()) html += "<h2>Config reach</h2>\n" + render_line_chart(reach);
  html += "<table><tr><th>channel</th><th>consumers</th><th>first bad push</th><th>50% reached after</th>"
          "<th>95% reached after</th></tr>\n";
  for (const auto& c : r.channels)
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\" data-metric=\"reach_t50:{}\">{}</td>"
                        "<td class=\"num\" data-metric=\"reach_t95:{}\">{}</td></tr>\n",
                        html_escape(c.id), c.consumers, when(r, c.first_bad_push_at), html_escape(c.id),
                        seconds(c.reach_t50), html_escape(c.id), seconds(c.reach_t95));
  html += "</table>\n";
  if (!services.lines.empty()) html += "<h2>Providers and services</h2>\n" + render_line_chart(services);

  html += "<h2>Faults</h2>\n<table><tr><th>fault</th><th>channel</th><th>injected</th><th>detected</th>"
          "<th>mitigated</th><th>recovered</th></tr>\n";
  for (const auto& f : r.faults)
    html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        html_escape(f.id), html_escape(f.channel), when(r, f.injected_at), when(r, f.detected_at),
                        when(r, f.mitigated_at), when(r, f.recovered_at));
  html += "</table>\n";

  // The most affected sites: largest share of requests failed over the run.
  std::vector<std::pair<double, const Series*>> sites;
  for (const auto& s : r.series) {
    if (s.scope != "site") continue;
    double lost = 0;
    for (double a : s.values) lost += 1 - a;
    sites.emplace_back(s.values.empty() ? 0 : lost / static_cast<double>(s.values.size()), &s);
  }
  std::stable_sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  html += "<h2>Most affected sites</h2>\n<table><tr><th>site</th><th>requests failed over the run</th>"
          "<th>lowest availability</th></tr>\n";
  for (std::size_t i = 0; i < sites.size() && i < 10; ++i) {
    const auto& v = sites[i].second->values;
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                        html_escape(sites[i].second->entity), percent(sites[i].first),
                        percent(*std::min_element(v.begin(), v.end())));
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace outagesim::metrics
