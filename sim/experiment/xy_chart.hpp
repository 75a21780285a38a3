// Small x-y charts as inline SVG for the experiment pages (a sweep's
// report.html, the risk map's risk.html): the frame (grid, ticks, axis
// labels) and where a value lands on it. What is drawn inside is the page's.
#pragma once

#include <string>
#include <vector>

namespace outagesim::experiment {

struct Axis {
  double min = 0, max = 1;
  [[nodiscard]] double span() const { return max > min ? max - min : 1; }
};

/// The values' range, padded by 5% on each side (one unit when all are equal).
Axis axis_of(const std::vector<double>& values);

/// The drawing's size and the plot's margins inside it, in px.
inline constexpr double chart_width = 640, chart_height = 300;
inline constexpr double plot_left = 84, plot_right = 28, plot_top = 34, plot_bottom = 46;

double x_pixel(const Axis& x, double v);
double y_pixel(const Axis& y, double v);

/// An <svg> with a title, five grid lines, ticks on both axes (the y ticks
/// as percentages when `y_percent`), axis labels, and `body` drawn over them.
std::string xy_frame(const std::string& id, const std::string& title, const std::string& x_label,
                     const std::string& y_label, const Axis& x, const Axis& y, const std::string& body,
                     bool y_percent = false);

}  // namespace outagesim::experiment
