// Line charts as inline SVG, for a report that must work with no network and
// no scripts: time on x (UTC, or time since start to overlay runs), one or
// more series on y, and vertical markers for faults and operator actions.
#pragma once

#include "sim/world/marker_kind.hpp"

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

/// A shaded area between two series on the chart's ticks (a spread over
/// runs, an uncertainty): drawn under the lines, listed in the legend after them.
struct ChartBand {
  std::string label;
  const std::vector<double>* low = nullptr;   ///< one per tick
  const std::vector<double>* high = nullptr;  ///< one per tick
  int colour = 0;                             ///< palette index
  double opacity = 0.25;
};

/// A published observation's tolerance box over a chart (an instant's time
/// and value tolerance, an interval's span; a bound reaches the axis), with
/// the point it stands for: drawn over the bands, under the lines.
struct ChartObservedBox {
  double t0_s = 0, t1_s = 0;  ///< the box's time span
  double low = 0, high = 1;   ///< its value span
  double t_s = 0, value = 0;  ///< the published point (an interval's: its start)
  bool interval = false;      ///< draw the point as a segment from t0 to t1
  std::string title;          ///< shown on hover: the reading
};

/// A published series over a chart: listed in the legend after the lines
/// and bands, its label naming its source.
struct ChartObserved {
  std::string label;
  std::vector<ChartObservedBox> boxes;
  int colour = 3;  ///< palette index (reddish purple: apart from the lines and the markers)
};

/// A vertical marker, labelled above the plot: a fault's start (a filled
/// triangle, dashed), its end (a hollow triangle, dash-dotted) and an action
/// (a dot, dotted) each look their own way.
struct ChartMarker {
  double t_s = 0;
  std::string label;
  world::MarkerKind kind = world::MarkerKind::action;
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
  std::vector<ChartBand> bands{};
  double width = 1200;   ///< of the drawing; the page scales it down to fit
  double height = 340;   ///< without the legend's and the marker labels' rows
  std::vector<ChartObserved> observed{};
};

/// The chart as an <svg> element, `width` px wide at most, scaling down with the page.
std::string render_line_chart(const ChartSpec& spec);

/// The key to the markers' looks, a paragraph to put under a chart with markers.
std::string marker_key_html();

/// Escapes text for HTML and SVG content and attributes.
std::string html_escape(const std::string& text);

/// The Okabe-Ito palette (colour-blind safe); index wraps around.
const char* palette_colour(std::size_t index);

}  // namespace outagesim::metrics
