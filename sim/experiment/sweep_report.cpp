#include "sweep_report.hpp"

#include "xy_chart.hpp"

#include "sim/metrics/page_style.hpp"
#include "sim/metrics/svg_chart.hpp"

#include <outagesim/version.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

using metrics::html_escape;

/// Metric m against parameter j: every ok run as a dot, the points' means as
/// a line and their 5-95% band across replications as a shaded area.
std::string parameter_chart(const PreparedSweep& sweep, const std::vector<RunRecord>& records,
                            const SweepTables& tables, std::size_t j, std::size_t m) {
  const Factor& factor = sweep.sweep.factors[j];
  std::vector<double> xs, ys;
  for (const auto& r : records) {
    if (r.status != RunStatus::ok || !r.metrics[m]) continue;
    xs.push_back(factor.number(sweep.runs[r.id].values[j].second));
    ys.push_back(*r.metrics[m]);
  }
  const std::string& name = sweep.sweep.spec.metrics[m].name;
  if (xs.empty()) return fmt::format("<p>No run gave {} a value.</p>\n", html_escape(name));
  const Axis x = axis_of(xs), y = axis_of(ys);
  // Points sharing a parameter value pool into one band sample (the grid's other factors vary).
  std::map<double, std::vector<const Summary*>> by_x;
  for (const auto& row : tables.points)
    if (row.metric == m && row.summary)
      by_x[factor.number(sweep.sweep.design.points[row.point][j])].push_back(&*row.summary);
  std::string body, upper, lower, mean;
  for (const auto& [xv, summaries] : by_x) {
    double q05 = summaries.front()->q05, q95 = summaries.front()->q95, sum = 0;
    for (const Summary* s : summaries) {
      q05 = std::min(q05, s->q05);
      q95 = std::max(q95, s->q95);
      sum += s->mean;
    }
    upper += fmt::format("{:.1f},{:.1f} ", x_pixel(x, xv), y_pixel(y, q95));
    lower = fmt::format("{:.1f},{:.1f} ", x_pixel(x, xv), y_pixel(y, q05)) + lower;
    mean += fmt::format("{:.1f},{:.1f} ", x_pixel(x, xv), y_pixel(y, sum / static_cast<double>(summaries.size())));
  }
  body += fmt::format("<polygon points=\"{}{}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>", upper, lower,
                      metrics::palette_colour(j));
  for (std::size_t k = 0; k < xs.size(); ++k)
    body += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.5\" fill=\"#777\" fill-opacity=\"0.5\"/>", x_pixel(x, xs[k]),
                        y_pixel(y, ys[k]));
  body += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>", mean,
                      metrics::palette_colour(j));
  const std::string x_label = factor.discrete() && factor.number(factor.levels().front()) == 0 &&
                                      factor.levels().front() != "0"
                                  ? factor.path() + " (position in its list)"
                                  : factor.path();
  return xy_frame(fmt::format("chart-{}-{}", name, factor.path()), fmt::format("{} against {}", name, factor.path()),
               x_label, name, x, y, body);
}

/// The distribution of metric m over all ok runs, as a histogram.
std::string histogram(const std::vector<RunRecord>& records, const std::string& name, std::size_t m) {
  std::vector<double> values;
  for (const auto& r : records)
    if (r.status == RunStatus::ok && r.metrics[m]) values.push_back(*r.metrics[m]);
  if (values.empty()) return {};
  const Axis x = axis_of(values);
  constexpr std::size_t bins = 20;
  std::vector<std::size_t> count(bins, 0);
  for (double v : values)
    ++count[std::min(bins - 1, static_cast<std::size_t>((v - x.min) / x.span() * static_cast<double>(bins)))];
  const Axis y{0, static_cast<double>(*std::max_element(count.begin(), count.end()))};
  std::string body;
  for (std::size_t b = 0; b < bins; ++b) {
    const double x0 = x_pixel(x, x.min + x.span() * static_cast<double>(b) / bins);
    const double x1 = x_pixel(x, x.min + x.span() * static_cast<double>(b + 1) / bins);
    body += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>", x0 + 1,
                        y_pixel(y, static_cast<double>(count[b])), std::max(0.0, x1 - x0 - 2),
                        y_pixel(y, 0) - y_pixel(y, static_cast<double>(count[b])), metrics::palette_colour(4));
  }
  return xy_frame("histogram-" + name, fmt::format("Distribution of {} over {} runs", name, values.size()), name, "runs",
               x, y, body);
}

std::string sensitivity_table(const PreparedSweep& sweep, const SweepTables& tables, std::size_t m) {
  std::vector<const Sensitivity*> rows;
  for (const auto& s : tables.sensitivities)
    if (s.metric == m) rows.push_back(&s);
  std::stable_sort(rows.begin(), rows.end(), [](const Sensitivity* a, const Sensitivity* b) {
    return std::fabs(a->value.value_or(0)) > std::fabs(b->value.value_or(0));
  });
  double largest = 0;
  for (const auto* s : rows) largest = std::max(largest, std::fabs(s->value.value_or(0)));
  const bool morris = !rows.empty() && rows.front()->method == "morris";
  std::string html = fmt::format("<h3>{}</h3><table><tr><th>parameter</th><th>{}</th><th></th>{}</tr>\n",
                                 html_escape(sweep.sweep.spec.metrics[m].name),
                                 morris ? "Morris &mu;*" : "Spearman &rho;", morris ? "<th>&sigma;</th>" : "");
  for (const auto* s : rows) {
    const double bar = largest > 0 ? 160 * std::fabs(s->value.value_or(0)) / largest : 0;
    html += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{}</td><td><svg width=\"170\" height=\"12\"><rect width=\"{:.1f}\" "
        "height=\"12\" fill=\"{}\"/></svg></td>{}</tr>\n",
        html_escape(sweep.sweep.factors[s->parameter].path()), s->value ? fmt::format("{:.4g}", *s->value) : "-", bar,
        metrics::palette_colour(s->parameter),
        morris ? fmt::format("<td class=\"num\">{}</td>", s->sigma ? fmt::format("{:.4g}", *s->sigma) : "-") : "");
  }
  return html + "</table>\n";
}

}  // namespace

std::string render_sweep_report(const PreparedSweep& sweep, const std::vector<RunRecord>& records,
                                const SweepTables& tables) {
  const auto& spec = sweep.sweep.spec;
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0} - outagesim sweep</title>"
      "<style>{1}</style></head><body>\n<h1>Sweep {0}</h1>\n<p class=\"meta\">base {2}, design {3}, {4} points x {5} "
      "replications = {6} runs, {7} failed; sweep seed {8}; outagesim {9}</p>\n",
      html_escape(spec.name), metrics::page_style, html_escape(sweep.base_path), scenario::enum_name(spec.design.kind),
      sweep.sweep.design.points.size(), spec.replications, records.size(), tables.failed, spec.seed, version);
  if (!sweep.sweep.factors.empty()) {
    html += "<h2>Sensitivity ranking</h2>\n<p>";
    html += spec.design.kind == scenario::DesignKind::morris
                ? "Morris elementary effects: &mu;* is the mean absolute change of the metric when the parameter moves "
                  "across its range (normalised to 1); &sigma; large against &mu;* means interactions or non-linearity."
                : "Spearman's rank correlation between the parameter and the metric over all runs: the sign says the "
                  "direction, the magnitude how monotone the dependence is.";
    html += "</p>\n";
    for (std::size_t m = 0; m < spec.metrics.size(); ++m) html += sensitivity_table(sweep, tables, m);
    html += "<h2>Metrics against parameters</h2>\n<p>Dots: runs; line: mean of the points at each value; shaded: "
            "the 5-95% range of their replications.</p>\n";
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      for (std::size_t j = 0; j < sweep.sweep.factors.size(); ++j)
        html += parameter_chart(sweep, records, tables, j, m);
  }
  html += "<h2>Distributions across runs</h2>\n";
  for (std::size_t m = 0; m < spec.metrics.size(); ++m) html += histogram(records, spec.metrics[m].name, m);
  if (tables.failed > 0) {
    html += "<h2>Failed runs</h2>\n<table><tr><th>run</th><th>status</th><th>last line of stderr</th></tr>\n";
    for (const auto& r : records) {
      if (r.status == RunStatus::ok) continue;
      const auto newline = r.error_tail.rfind('\n');
      const std::string last = newline == std::string::npos ? r.error_tail : r.error_tail.substr(newline + 1);
      html += fmt::format("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n", r.id, status_name(r.status),
                          html_escape(last));
    }
    html += "</table>\n";
  }
  return html + "</body></html>\n";
}

}  // namespace outagesim::experiment
