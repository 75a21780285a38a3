#include "report.hpp"

#include "display_format.hpp"
#include "observed_overlay.hpp"
#include "page_style.hpp"
#include "series.hpp"
#include "sim/scenario/units.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

/// "11:20:10Z (+20m10s)", with the date when it is not on the start's day.
std::string when(const RunResult& r, const std::optional<double>& t) {
  return t ? time_in_run(r.start_epoch_s, *t) : "none";
}

std::string seconds(const std::optional<double>& s) { return s ? duration(*s) : "not reached"; }

std::string card(const std::string& metric, const std::string& name, const std::string& value) {
  return fmt::format("<div class=\"card\"><div class=\"name\">{}</div><div class=\"value\" data-metric=\"{}\">{}</div></div>\n",
                     html_escape(name), metric, html_escape(value));
}

/// A table cell showing the summary.json value at `keys`.
std::string cell(const std::vector<std::string>& keys, const std::string& text, bool numeric = true) {
  return fmt::format("<td{} data-metric=\"{}\">{}</td>", numeric ? " class=\"num\"" : "",
                     html_escape(metric_path(keys)), html_escape(text));
}

/// Per fault: how far it reached and how many failed requests it caused.
std::string attribution_section(const RunResult& r) {
  std::string html =
      "<h2>Attribution</h2>\n<p>Each site-outage interval is attributed to the faults behind the services the site "
      "needs, in proportion to their part of the failing capacity; every interval is listed in "
      "<code>attribution.csv</code>.</p>\n"
      "<table><tr><th>fault</th><th>sites with an outage caused by it</th><th>failed requests attributed</th>"
      "<th>peak share of traffic failing</th><th>request-minutes lost (rps &times; min)</th></tr>\n";
  for (const auto& f : r.faults)
    html += fmt::format("<tr><td>{}</td>{}{}{}{}</tr>\n", html_escape(f.id),
                        cell({"faults", f.id, "sites_affected"}, std::to_string(f.sites_affected)),
                        cell({"faults", f.id, "failed_requests"}, with_thousands(f.failed_requests)),
                        cell({"faults", f.id, "traffic_share_affected"}, percent(f.traffic_share_affected)),
                        cell({"faults", f.id, "request_minutes_lost"}, with_thousands(f.request_minutes_lost)));
  html += fmt::format("<tr><td>no recorded cause</td><td></td>{}<td></td><td></td></tr>\n",
                      cell({"failed_requests_unattributed"}, with_thousands(r.failed_requests_unattributed)));
  html += "</table>\n";
  std::vector<std::string> sites;
  for (const auto& o : r.outages) sites.push_back(o.site);
  std::sort(sites.begin(), sites.end());
  sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
  html += fmt::format("<p>{} outage interval{} at {} site{}.</p>\n", r.outages.size(), r.outages.size() == 1 ? "" : "s",
                      sites.size(), sites.size() == 1 ? "" : "s");
  return html;
}

/// The series report.html shows in `view` (their declarations say where),
/// in timeseries.csv's order.
std::vector<const Series*> shown_in(const RunResult& r, ReportView view) {
  std::vector<const Series*> out;
  for (const auto& s : r.series) {
    const SeriesDeclaration* declared = find_series_declaration(s.scope, s.metric);
    if (declared != nullptr && declared->shown_in == view) out.push_back(&s);
  }
  return out;
}

/// 1, 2 or 5 times a power of ten, at least `v`: a round top for a chart's axis.
double round_up(double v) {
  if (v <= 0) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= v * (1 - 1e-12)) return m * power;
  return 10 * power;
}

std::vector<ChartMarker> markers(const RunResult& r);

/// A small chart of one entity, one of a grid (`multiples`), captioned.
std::string small_multiple(ChartSpec spec, const std::string& caption) {
  spec.width = 400;
  spec.height = 230;
  if (spec.title.size() > 36) spec.title = spec.title.substr(0, 33) + "...";  // the caption has it whole
  return "<figure>" + render_line_chart(spec) + "<figcaption>" + html_escape(caption) + "</figcaption></figure>\n";
}

/// "500k" for 500,000 rps: the axis label gives the unit, and the tick stays clear of it.
std::string rate_tick(double rps) {
  const std::string text = rate(rps);  // "950 rps", "2.4k rps"
  return text.substr(0, text.rfind(" rps"));
}

/// Services with memory (a queue, retries, leases: docs/models/traffic.md):
/// their offered load against their goodput, and their queue wait and
/// latency, so that a retry storm or a queue that never drains shows.
std::string queues_section(const RunResult& r) {
  ChartSpec load{"chart-queue-load", "Offered load and goodput per service", "requests per second",
                 0, 1, false, r.start_epoch_s, &r.t_s, {}, markers(r)};
  ChartSpec wait{"chart-queue-wait", "Queue wait and 95th-percentile latency per service", "seconds",
                 0, 1, false, r.start_epoch_s, &r.t_s, {}, markers(r)};
  ChartSpec leases{"chart-queue-leases", "Leases held per service", "share of lease units held (%)",
                   0, 1, true, r.start_epoch_s, &r.t_s, {}, markers(r)};
  load.y_tick = &rate_tick;
  wait.y_tick = &duration;
  double load_max = 0, wait_max = 0;
  bool any_lease_lost = false;
  std::vector<std::string> services;  // a service's lines share its colour: by first appearance
  auto colour_of = [&](const std::string& entity) {
    auto it = std::find(services.begin(), services.end(), entity);
    if (it == services.end()) it = services.insert(services.end(), entity);
    return static_cast<int>(it - services.begin());
  };
  for (const auto& s : r.series) {
    if (s.scope != "service") continue;
    const double top = s.values.empty() ? 0 : *std::max_element(s.values.begin(), s.values.end());
    // Wasted work (answered after the client gave up) is drawn only where there was some.
    const bool wasted = s.metric == "wasted_rps" && top > 0;
    if (s.metric == "offered_rps" || s.metric == "goodput_rps" || wasted) {
      const char* what = s.metric == "offered_rps" ? "offered " : wasted ? "wasted " : "goodput ";
      load.lines.push_back({what + s.entity, &s.values});
      load.lines.back().dashed = s.metric != "offered_rps";
      load.lines.back().colour = colour_of(s.entity);
      load_max = std::max(load_max, top);
    } else if (s.metric == "queue_wait_s" || s.metric == "latency_p95_s") {
      wait.lines.push_back({(s.metric == "queue_wait_s" ? "wait " : "p95 ") + s.entity, &s.values});
      wait.lines.back().dashed = s.metric == "latency_p95_s";
      wait.lines.back().colour = colour_of(s.entity);
      wait_max = std::max(wait_max, top);
    } else if (s.metric == "lease_share") {
      leases.lines.push_back({s.entity, &s.values});
      leases.lines.back().colour = colour_of(s.entity);
      any_lease_lost = any_lease_lost || std::any_of(s.values.begin(), s.values.end(), [](double v) { return v < 1; });
    }
  }
  if (load.lines.empty() && wait.lines.empty()) return {};
  load.y_max = round_up(load_max);
  wait.y_max = round_up(wait_max);
  std::string html = "<h2>Queues and latency</h2>\n<p>Services with a queue, retries, leases or injected latency "
                     "(docs/models/traffic.md): every attempt offered against the work answered in time (dashed) and, "
                     "where there was some, the work answered after its client had given up (wasted, dashed); "
                     "and the mean queue wait against the 95th-percentile latency (dashed).</p>\n";
  if (!load.lines.empty()) html += render_line_chart(load);
  if (!wait.lines.empty()) html += render_line_chart(wait);
  if (any_lease_lost) html += render_line_chart(leases);
  if (services.size() < 2) return html;  // one service: the charts above are its own
  // Each queue on its own: its goodput against what it is offered, its wait against its p95.
  html += "<div class=\"multiples\">\n";
  for (std::size_t i = 0; i < services.size(); ++i) {
    const std::string& service = services[i];
    const Series* offered = r.find("service", service, "offered_rps");
    const Series* goodput = r.find("service", service, "goodput_rps");
    const Series* wasted = r.find("service", service, "wasted_rps");
    if (wasted != nullptr && std::none_of(wasted->values.begin(), wasted->values.end(), [](double v) { return v > 0; }))
      wasted = nullptr;
    const Series* queue_wait = r.find("service", service, "queue_wait_s");
    const Series* p95 = r.find("service", service, "latency_p95_s");
    auto top = [](const Series* a, const Series* b) {
      double m = 0;
      for (const Series* s : {a, b})
        if (s != nullptr && !s->values.empty()) m = std::max(m, *std::max_element(s->values.begin(), s->values.end()));
      return round_up(m);
    };
    if (offered != nullptr && goodput != nullptr) {
      ChartSpec spec{fmt::format("chart-queue-{}-load", i + 1), service + ": load", "requests per second", 0,
                     top(offered, goodput), false, r.start_epoch_s, &r.t_s,
                     {{"offered", &offered->values, nullptr, 0, false}, {"goodput", &goodput->values, nullptr, 2, true}},
                     {}};
      if (wasted != nullptr) spec.lines.push_back({"wasted", &wasted->values, nullptr, 3, true});
      spec.y_tick = &rate_tick;
      html += small_multiple(spec, service + (wasted != nullptr ? ": offered load, goodput and wasted work"
                                                                : ": offered load and goodput"));
    }
    if (queue_wait != nullptr && p95 != nullptr) {
      ChartSpec spec{fmt::format("chart-queue-{}-wait", i + 1), service + ": wait", "seconds", 0, top(queue_wait, p95),
                     false, r.start_epoch_s, &r.t_s,
                     {{"wait", &queue_wait->values, nullptr, 0, false}, {"p95", &p95->values, nullptr, 2, true}}, {}};
      spec.y_tick = &duration;
      html += small_multiple(spec, service + ": queue wait and 95th-percentile latency");
    }
  }
  html += "</div>\n";
  return html;
}

/// Seconds each sample stands for: up to the next one (the last, a resolution).
std::vector<double> sample_widths(const RunResult& r) {
  std::vector<double> dt;
  for (std::size_t k = 0; k < r.t_s.size(); ++k)
    dt.push_back(k + 1 < r.t_s.size() ? r.t_s[k + 1] - r.t_s[k] : r.resolution_s);
  return dt;
}

/// The lowest round tenth at or below the series' minimum: a chart's floor.
double floor_of(const std::vector<double>& v) {
  const double low = v.empty() ? 1 : *std::min_element(v.begin(), v.end());
  return std::max(0.0, std::floor(low * 10 - 1e-9) / 10);
}

/// The most affected sites (by requests failed) and regions (by capacity
/// lost over time), a small chart each, largest first; none unaffected.
std::string most_affected_section(const RunResult& r) {
  constexpr std::size_t shown = 6;
  const std::vector<double> dt = sample_widths(r);
  struct Ranked {
    double lost;
    const Series* availability;
  };
  std::vector<Ranked> sites, regions;
  for (const auto& s : r.series) {
    if (s.scope == "site" && s.metric == "failed_rps") {
      double failed = 0;
      for (std::size_t k = 0; k < s.values.size() && k < dt.size(); ++k) failed += s.values[k] * dt[k];
      if (const Series* a = r.find("site", s.entity, "availability"); a != nullptr && failed > 0)
        sites.push_back({failed, a});
    } else if (s.scope == "region" && s.metric == "availability") {
      double lost = 0;
      for (std::size_t k = 0; k < s.values.size() && k < dt.size(); ++k) lost += (1 - s.values[k]) * dt[k];
      if (lost > 1e-9) regions.push_back({lost, &s});
    }
  }
  auto by_loss = [](const Ranked& a, const Ranked& b) { return a.lost > b.lost; };
  std::stable_sort(sites.begin(), sites.end(), by_loss);
  std::stable_sort(regions.begin(), regions.end(), by_loss);
  if (sites.empty() && regions.empty()) return {};
  std::string html = fmt::format(
      "<h2>Most affected, one by one</h2>\n<p>The {} sites with the most requests failed and the {} regions whose "
      "instances lost the most capacity over time (the unavailable share times the time), largest first.</p>\n",
      std::min(shown, sites.size()), std::min(shown, regions.size()));
  auto grid = [&](const std::vector<Ranked>& ranked, const std::string& scope, auto caption) {
    html += "<div class=\"multiples\">\n";
    for (std::size_t i = 0; i < ranked.size() && i < shown; ++i) {
      const Series& s = *ranked[i].availability;
      ChartSpec spec{fmt::format("chart-{}-{}", scope, i + 1), s.entity, "availability (%)", floor_of(s.values), 1.0,
                     true, r.start_epoch_s, &r.t_s, {{s.entity, &s.values}}, {}};
      html += small_multiple(spec, s.entity + ": " + caption(ranked[i].lost));
    }
    html += "</div>\n";
  };
  if (!sites.empty())
    grid(sites, "site", [](double lost) { return with_thousands(lost) + " requests failed"; });
  if (!regions.empty())
    grid(regions, "region", [](double lost) { return duration(lost) + " of capacity lost"; });
  return html;
}

std::vector<ChartMarker> markers(const RunResult& r) {
  std::vector<ChartMarker> out;
  for (const auto& m : r.marks) out.push_back({m.t_s, m.label, m.kind});
  return out;
}

}  // namespace

std::string render_report_html(const RunResult& r, const Provenance& p,
                               const std::vector<scenario::PublishedSeriesFile>& observed) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>outagesim: {}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(r.scenario), page_style);
  html += fmt::format("<h1>{}</h1>\n<p class=\"meta\">start {} &middot; duration {} &middot; resolution {} "
                      "&middot; seed {} &middot; outagesim {} on SimGrid {} &middot; scenario hash {}</p>\n",
                      html_escape(r.scenario), scenario::format_utc_timestamp(r.start_epoch_s), duration(r.duration_s),
                      duration(r.resolution_s), r.seed, html_escape(p.outagesim_version), html_escape(p.simgrid_version),
                      html_escape(p.scenario_hash));
  // Only an interrupted run says anything: complete runs' pages are unchanged.
  if (r.interrupted)
    html += fmt::format("<p class=\"meta\" id=\"run-status\"><strong>Interrupted</strong> at {} of {}: "
                        "every number covers the run up to there.</p>\n",
                        offset(r.reached_s), duration(r.duration_s));

  html += "<section class=\"headline\">\n";
  html += card("availability_min", "lowest global availability", percent(r.availability_min));
  html += card("availability_mean", "mean availability (request-weighted)", percent(r.availability_mean));
  html += card("failed_requests", "failed requests", with_thousands(r.failed_requests));
  html += card("sites_affected", fmt::format("sites down at some point (below {})", percent(r.site_down_below)),
               fmt::format("{} of {}", r.sites_affected, r.sites));
  html += card("impact_start", "impact starts (UTC)", when(r, r.impact_start));
  html += card("impact_end", "impact ends (UTC)", when(r, r.impact_end));
  html += "</section>\n";

  const auto global_lines = shown_in(r, ReportView::global_chart);
  const Series* global = global_lines.empty() ? nullptr : global_lines.front();
  double low = global ? *std::min_element(global->values.begin(), global->values.end()) : 0;
  ChartSpec availability{"chart-global-availability", "Global availability", "availability (% of requests served)",
                         std::max(0.0, std::floor(low * 10 - 1e-9) / 10), 1.0, true, r.start_epoch_s, &r.t_s,
                         {{"global", global ? &global->values : nullptr}}, markers(r)};
  if (global) html += "<h2>Availability</h2>\n" + render_line_chart(availability);
  if (!r.marks.empty()) html += marker_key_html();

  ChartSpec reach{"chart-config-reach", "Config reach: share of consumers running a bad version",
                  "consumers on a bad version (%)", 0, 1, true, r.start_epoch_s, &r.t_s, {}, markers(r)};
  ChartSpec services{"chart-service-availability", "Availability per provider, service and traffic segment",
                     "availability (% of requests served)", 0, 1, true, r.start_epoch_s, &r.t_s, {}, markers(r)};
  for (const Series* s : shown_in(r, ReportView::config_reach_chart)) reach.lines.push_back({s->entity, &s->values});
  for (const Series* s : shown_in(r, ReportView::services_chart))
    services.lines.push_back({s->scope + " " + s->entity, &s->values});
  if (!reach.lines.empty()) html += "<h2>Config reach</h2>\n" + render_line_chart(reach);
  html += "<table><tr><th>channel</th><th>consumers</th><th>first bad push</th><th>50% reached after</th>"
          "<th>95% reached after</th></tr>\n";
  for (const auto& c : r.channels)
    html += fmt::format("<tr><td>{}</td>{}{}{}{}</tr>\n", html_escape(c.id),
                        cell({"channels", c.id, "consumers"}, std::to_string(c.consumers)),
                        cell({"channels", c.id, "first_bad_push_at"}, when(r, c.first_bad_push_at), false),
                        cell({"channels", c.id, "reach_t50"}, seconds(c.reach_t50)),
                        cell({"channels", c.id, "reach_t95"}, seconds(c.reach_t95)));
  html += "</table>\n";
  if (!services.lines.empty()) html += "<h2>Providers and services</h2>\n" + render_line_chart(services);
  html += observed_section(r, observed, markers(r));
  html += queues_section(r);

  html += "<h2>Faults</h2>\n<table><tr><th>fault</th><th>channel</th><th>injected</th><th>detected</th>"
          "<th>mitigated</th><th>recovered</th></tr>\n";
  for (const auto& f : r.faults)
    html += fmt::format("<tr><td>{}</td><td>{}</td>{}{}{}{}</tr>\n", html_escape(f.id), html_escape(f.channel),
                        cell({"faults", f.id, "injected_at"}, when(r, f.injected_at), false),
                        cell({"faults", f.id, "detected_at"}, when(r, f.detected_at), false),
                        cell({"faults", f.id, "mitigated_at"}, when(r, f.mitigated_at), false),
                        cell({"faults", f.id, "recovered_at"}, when(r, f.recovered_at), false));
  html += "</table>\n";
  html += attribution_section(r);

  // The most affected sites: largest share of requests failed over the run.
  std::vector<std::pair<double, const Series*>> sites;
  for (const Series* s : shown_in(r, ReportView::affected_sites_table)) {
    double lost = 0;
    for (double a : s->values) lost += 1 - a;
    sites.emplace_back(s->values.empty() ? 0 : lost / static_cast<double>(s->values.size()), s);
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
  html += "</table>\n";
  html += most_affected_section(r);
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace outagesim::metrics
