// Line charts as inline SVG, for a report that must work with no network and
// no scripts: time on x (UTC, or time since start to overlay runs), one or
// more series on y, and vertical markers for faults and operator actions.
#pragma once

#include <string>
#include <vector>

namespace outagesim::metrics {

struct ChartLine {
  std::string label;
  const std::vector<double>* values = nullptr;  ///< one per tick
  const std::vector<double>* t_s = nullptr;     ///< its own tick times; none: the chart's
  int colour = -1;                              ///< palette index; -1: the line's position
  bool dashed = false;
};

struct ChartMarker {
  double t_s = 0;
  std::string label;
  bool is_fault = false;  ///< faults and operator actions get different colours and dashes
};

struct ChartSpec {
  std::string id;        ///< element id, for tests and links
  std::string title;
  std::string y_label;   ///< with its unit
  double y_min = 0;
  double y_max = 1;
  bool y_percent = true;  ///< label ticks as percentages
  double start_epoch_s = 0;
  const std::vector<double>* t_s = nullptr;
  std::vector<ChartLine> lines;
  std::vector<ChartMarker> markers;
  bool time_since_start = false;  ///< label the time axis "+20m" rather than in UTC
  /// Labels of the y ticks when the values are not fractions (display_format's rate, duration...).
  std::string (*y_tick)(double) = nullptr;
};

/// The chart as an <svg> element, 1200 px wide at most, scaling down with the page.
std::string render_line_chart(const ChartSpec& spec);

/// Escapes text for HTML and SVG content and attributes.
std::string html_escape(const std::string& text);

/// The Okabe-Ito palette (colour-blind safe); index wraps around.
const char* palette_colour(std::size_t index);

}  // namespace outagesim::metrics
