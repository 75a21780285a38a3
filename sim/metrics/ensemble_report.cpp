#include "ensemble_report.hpp"

#include "display_format.hpp"
#include "run_directory.hpp"
#include "page_style.hpp"
#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

/// The q-quantile of sorted values, interpolated between order statistics (R's type 7).
double quantile(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::optional<double> metric(const LoadedRun& run, const std::string& path) {
  for (const auto& m : run.metrics)
    if (m.path == path) return m.value;
  return std::nullopt;
}

/// A number of ensemble.csv: the shortest text that reads back as the same double.
std::string number(double v) { return fmt::format("{}", v); }

}  // namespace

Spread spread_of(const std::vector<const std::vector<double>*>& values) {
  Spread s;
  if (values.empty()) return s;
  std::size_t ticks = values.front()->size();
  for (const auto* v : values) ticks = std::min(ticks, v->size());
  std::vector<double> at(values.size());
  for (std::size_t k = 0; k < ticks; ++k) {
    for (std::size_t r = 0; r < values.size(); ++r) at[r] = (*values[r])[k];
    std::sort(at.begin(), at.end());
    s.min.push_back(at.front());
    s.p10.push_back(quantile(at, 0.1));
    s.median.push_back(quantile(at, 0.5));
    s.p90.push_back(quantile(at, 0.9));
    s.max.push_back(at.back());
  }
  return s;
}

Ensemble ensemble_of(std::vector<LoadedRun> runs) {
  if (runs.size() < 2)
    throw RunDirectoryError("an ensemble needs at least two run directories (runs of one scenario with different seeds)");
  const LoadedRun& first = runs.front();
  for (const auto& run : runs) {
    if (run.scenario != first.scenario)
      throw RunDirectoryError(fmt::format("{} is a run of scenario '{}', {} of '{}': an ensemble is one scenario's runs",
                                          run.dir.string(), run.scenario, first.dir.string(), first.scenario));
    if (run.availability.t_s != first.availability.t_s)
      throw RunDirectoryError(fmt::format(
          "{} and {} do not share their sample times (duration {} and {}, resolution {} and {}): the spread is taken "
          "tick by tick",
          first.dir.string(), run.dir.string(), duration(first.duration_s), duration(run.duration_s),
          duration(first.resolution_s), duration(run.resolution_s)));
  }
  Ensemble e;
  e.t_s = first.availability.t_s;
  std::vector<const std::vector<double>*> availability;
  for (const auto& run : runs) availability.push_back(&run.availability.values);
  e.series.push_back({"global", "", "availability", runs.size(), spread_of(availability)});
  std::vector<std::string> channels;
  for (const auto& run : runs)
    for (const auto& [channel, series] : run.reach)
      if (std::find(channels.begin(), channels.end(), channel) == channels.end()) channels.push_back(channel);
  for (const auto& channel : channels) {
    std::vector<const std::vector<double>*> reach;
    for (const auto& run : runs)
      for (const auto& [c, series] : run.reach)
        if (c == channel && series.values.size() == e.t_s.size()) reach.push_back(&series.values);
    if (!reach.empty()) e.series.push_back({"channel", channel, "config_reach", reach.size(), spread_of(reach)});
  }
  e.runs = std::move(runs);
  return e;
}

std::string render_ensemble_html(const Ensemble& e) {
  const LoadedRun& first = e.runs.front();
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += fmt::format("<title>outagesim ensemble: {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                      html_escape(first.scenario), page_style);
  html += fmt::format("<h1>{}: {} runs</h1>\n<p class=\"meta\">The median over the runs is the line; the darker band "
                      "holds the middle 80% of the runs (10th to 90th percentile) at each sample, the lighter one every "
                      "run (lowest to highest). Times are since each run's start; the runs' own markers are in their "
                      "report.html.</p>\n",
                      html_escape(first.scenario), e.runs.size());

  const double epoch = 0;  // time since start: runs may start at different times
  auto chart = [&](const EnsembleSeries& s, const std::string& id, const std::string& title, const std::string& y_label,
                   double y_min) {
    ChartSpec spec{id, title, y_label, y_min, 1.0, true, epoch, &e.t_s, {}, {}, true};
    spec.lines.push_back({"median", &s.spread.median, nullptr, 0, false});
    spec.bands.push_back({"10th to 90th percentile", &s.spread.p10, &s.spread.p90, 0, 0.35});
    spec.bands.push_back({"lowest to highest", &s.spread.min, &s.spread.max, 0, 0.15});
    return render_line_chart(spec);
  };
  const EnsembleSeries& availability = e.series.front();
  const double low = *std::min_element(availability.spread.min.begin(), availability.spread.min.end());
  html += "<h2>Availability</h2>\n" + chart(availability, "chart-ensemble-availability", "Global availability over the runs",
                                            "availability (% of requests served)",
                                            std::max(0.0, std::floor(low * 10 - 1e-9) / 10));
  bool reach_heading = false;
  for (const auto& s : e.series) {
    if (s.metric != "config_reach") continue;
    if (!reach_heading) html += "<h2>Config reach</h2>\n";
    reach_heading = true;
    html += chart(s, "chart-ensemble-config-reach-" + s.entity, "Config reach of " + s.entity + " over the runs",
                  "consumers on a bad version (%)", 0);
  }

  html += "<h2>Runs</h2>\n<table><tr><th>run directory</th><th>seed</th><th>overrides</th><th>lowest availability</th>"
          "<th>mean availability</th><th>failed requests</th></tr>\n";
  auto shown = [](const std::optional<double>& v, bool fraction) {
    return !v ? std::string("none") : fraction ? percent(*v) : with_thousands(*v);
  };
  for (const auto& run : e.runs) {
    std::string overrides;
    for (const auto& o : run.overrides) overrides += (overrides.empty() ? "" : " ") + o;
    html += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>"
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                        html_escape(run.dir.string()), run.seed, html_escape(overrides),
                        shown(metric(run, "availability_min"), true), shown(metric(run, "availability_mean"), true),
                        shown(metric(run, "failed_requests"), false));
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

void write_ensemble_csv(std::ostream& out, const Ensemble& e) {
  out << "t,scope,entity,metric,runs,min,p10,median,p90,max\n";
  for (const auto& s : e.series)
    for (std::size_t k = 0; k < e.t_s.size() && k < s.spread.median.size(); ++k)
      out << number(e.t_s[k]) << ',' << s.scope << ',' << csv_field(s.entity) << ',' << s.metric << ',' << s.runs << ','
          << number(s.spread.min[k]) << ',' << number(s.spread.p10[k]) << ',' << number(s.spread.median[k]) << ','
          << number(s.spread.p90[k]) << ',' << number(s.spread.max[k]) << '\n';
}

}  // namespace outagesim::metrics
