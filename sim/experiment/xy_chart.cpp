#include "xy_chart.hpp"

#include "sim/metrics/svg_chart.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

std::string tick(double v, bool percent) { return percent ? fmt::format("{:.3g}%", v * 100) : fmt::format("{:.4g}", v); }

}  // namespace

Axis axis_of(const std::vector<double>& values) {
  Axis a{*std::min_element(values.begin(), values.end()), *std::max_element(values.begin(), values.end())};
  if (a.max == a.min) {
    a.min -= 0.5;
    a.max += 0.5;
  }
  const double pad = 0.05 * (a.max - a.min);
  return {a.min - pad, a.max + pad};
}

double x_pixel(const Axis& x, double v) {
  return plot_left + (v - x.min) / x.span() * (chart_width - plot_left - plot_right);
}

double y_pixel(const Axis& y, double v) {
  return chart_height - plot_bottom - (v - y.min) / y.span() * (chart_height - plot_top - plot_bottom);
}

std::string xy_frame(const std::string& id, const std::string& title, const std::string& x_label,
                     const std::string& y_label, const Axis& x, const Axis& y, const std::string& body,
                     bool y_percent) {
  using metrics::html_escape;
  std::string svg = fmt::format(
      "<svg class=\"chart\" style=\"max-width: {1}px\" id=\"{0}\" viewBox=\"0 0 {1} {2}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">"
      "<text class=\"chart-title\" x=\"{3}\" y=\"18\">{4}</text>",
      html_escape(id), chart_width, chart_height, plot_left, html_escape(title));
  for (int k = 0; k <= 4; ++k) {
    const double fy = plot_top + (chart_height - plot_top - plot_bottom) * k / 4.0;
    const double fx = plot_left + (chart_width - plot_left - plot_right) * k / 4.0;
    svg += fmt::format("<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", plot_left,
                       chart_width - plot_right, fy, fy);
    svg += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", plot_left - 6, fy + 4,
                       tick(y.max - y.span() * k / 4.0, y_percent));
    svg += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>", fx,
                       chart_height - plot_bottom + 16, tick(x.min + x.span() * k / 4.0, false));
  }
  svg += fmt::format("<text class=\"axis-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                     (plot_left + chart_width - plot_right) / 2, chart_height - 8, html_escape(x_label));
  svg += fmt::format(
      "<text class=\"axis-label\" transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
      (plot_top + chart_height - plot_bottom) / 2, html_escape(y_label));
  return svg + body + "</svg>\n";
}

}  // namespace outagesim::experiment
