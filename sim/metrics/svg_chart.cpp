#include "svg_chart.hpp"

#include "sim/scenario/units.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace outagesim::metrics {
namespace {

constexpr double left = 70, right = 20, top = 36, bottom = 56;
constexpr double legend_row = 18;   ///< height of one row of the legend
constexpr double char_width = 7;    ///< a legend character at 12px, generously
constexpr double marker_row = 13;   ///< height of one row of marker labels
constexpr double marker_char = 6.4; ///< a marker label's character at 10px, generously
constexpr double marker_gap = 8;    ///< between two labels on one row
constexpr std::size_t marker_label_chars = 56;  ///< longer labels are cut (the full one is on hover)

/// Where each legend entry goes: rows under the title, left to right,
/// wrapping at the plot's width, so that no entry covers the title or
/// another entry, or falls off the chart however many lines there are.
struct LegendPlace {
  double x;
  int row;
};
std::vector<LegendPlace> legend_layout(const std::vector<std::string>& labels, double width) {
  std::vector<LegendPlace> places;
  if (labels.size() < 2) return places;  // one line: the title says it
  double x = left;
  int row = 0;
  for (const auto& label : labels) {
    const double w = 26 + char_width * static_cast<double>(label.size());
    if (x + w > width - right && x > left) {
      ++row;
      x = left;
    }
    places.push_back({x, row});
    x += w;
  }
  return places;
}

/// A marker's label as the chart prints it.
std::string marker_label(const std::string& label) {
  return label.size() <= marker_label_chars ? label : label.substr(0, marker_label_chars - 3) + "...";
}

/// Where a marker's label goes: in rows between the legend and the plot,
/// beside its marker (after it, or before it near the right edge), on the
/// first row where it overlaps no other label. Every marker is labelled,
/// however close they are: the rows grow instead.
struct MarkerPlace {
  double x;    ///< the marker's x
  bool before; ///< the label ends at the marker rather than starting there
  int row;     ///< 0 is the row next to the plot
};
std::vector<MarkerPlace> marker_layout(const std::vector<double>& xs, const std::vector<std::string>& labels,
                                       double width) {
  std::vector<MarkerPlace> places;
  std::vector<double> row_end;  // right edge of the last label on each row
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double w = marker_char * static_cast<double>(labels[i].size()) + 16;  // with its glyph
    const bool before = xs[i] + w > width - right;
    const double from = before ? xs[i] - w : xs[i];
    const double to = before ? xs[i] : xs[i] + w;
    std::size_t row = 0;
    while (row < row_end.size() && row_end[row] + marker_gap > from) ++row;
    if (row == row_end.size()) row_end.push_back(to);
    else row_end[row] = std::max(row_end[row], to);
    places.push_back({xs[i], before, static_cast<int>(row)});
  }
  return places;
}

/// A marker's glyph at (x, y): a filled triangle for a fault's start, a hollow
/// one pointing up for its end, a dot for an action.
std::string marker_glyph(world::MarkerKind kind, double x, double y) {
  switch (kind) {
    case world::MarkerKind::fault_start:
      return fmt::format("<path class=\"glyph fault-start\" d=\"M{:.1f} {:.1f}h8l-4 7z\"/>", x - 4, y - 3.5);
    case world::MarkerKind::fault_end:
      return fmt::format("<path class=\"glyph fault-end\" d=\"M{:.1f} {:.1f}h8l-4 -7z\"/>", x - 4, y + 3.5);
    case world::MarkerKind::action:
      return fmt::format("<circle class=\"glyph action\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\"/>", x, y);
  }
  return {};
}

const char* marker_class(world::MarkerKind kind) {
  switch (kind) {
    case world::MarkerKind::fault_start: return "fault";
    case world::MarkerKind::fault_end: return "fault-end";
    case world::MarkerKind::action: return "action";
  }
  return "action";
}

/// A tick step for the time axis that gives at most `most` ticks (12 on a full-width chart).
double time_step_s(double span_s, double most) {
  constexpr std::array steps{1.0,    5.0,    10.0,   30.0,    60.0,    120.0,   300.0,   600.0,
                             900.0,  1800.0, 3600.0, 7200.0,  10800.0, 21600.0, 43200.0, 86400.0};
  for (double s : steps)
    if (span_s / s <= most) return s;
  return std::ceil(span_s / most / 86400.0) * 86400.0;
}

/// "0", "+45s", "+20m", "+1h30m", "+1h00m30s".
std::string offset_label(double t_s) {
  const long long whole = std::llround(t_s);
  if (whole == 0) return "0";
  if (whole < 60) return fmt::format("+{}s", whole);
  std::string label = "+";
  if (whole >= 3600) label += fmt::format("{}h", whole / 3600);
  const long long minutes = (whole % 3600) / 60, seconds = whole % 60;
  if (minutes > 0 || seconds > 0 || whole < 3600)
    label += whole >= 3600 ? fmt::format("{:02}m", minutes) : fmt::format("{}m", minutes);
  if (seconds > 0) label += fmt::format("{:02}s", seconds);
  return label;
}

std::string time_label(double epoch_s, double step_s) {
  std::string iso = scenario::format_utc_timestamp(epoch_s);  // 2025-11-18T11:20:00Z
  return step_s < 60 ? iso.substr(11, 8) : iso.substr(11, 5);
}

}  // namespace

const char* palette_colour(std::size_t index) {
  static constexpr std::array colours{"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                      "#56B4E9", "#D55E00", "#F0E442", "#000000"};
  return colours[index % colours.size()];
}

std::string marker_key_html() {
  return "<p class=\"key\"><span style=\"color:#D55E00\">&#9660; - - a fault starts</span>"
         "<span style=\"color:#D55E00\">&#9651; &#8212; - &#8212; a fault ends</span>"
         "<span style=\"color:#0072B2\">&#9679; &middot;&middot;&middot; an operator or a health gate acts</span></p>\n";
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_line_chart(const ChartSpec& spec) {
  const double width = spec.width, height = spec.height;
  const auto& t = *spec.t_s;
  const double t0 = t.empty() ? 0 : t.front();
  const double t1 = t.size() < 2 ? t0 + 1 : t.back();
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  auto x = [&](double ts) { return left + (ts - t0) / (t1 - t0) * plot_w; };
  std::vector<std::string> legend_labels;  // the lines, then the bands, then the published series
  for (const auto& line : spec.lines) legend_labels.push_back(line.label);
  for (const auto& band : spec.bands) legend_labels.push_back(band.label);
  for (const auto& o : spec.observed) legend_labels.push_back(o.label);
  const std::vector<LegendPlace> legend = legend_layout(legend_labels, width);
  const int legend_rows = legend.empty() ? 0 : legend.back().row + 1;
  const double band_top = top + legend_rows * legend_row + (legend_rows > 0 ? 4 : 0);

  std::vector<const ChartMarker*> shown;
  for (const auto& m : spec.markers)
    if (m.t_s >= t0 && m.t_s <= t1) shown.push_back(&m);
  std::stable_sort(shown.begin(), shown.end(), [](const auto* a, const auto* b) { return a->t_s < b->t_s; });
  std::vector<double> marker_xs;
  std::vector<std::string> marker_texts;
  for (const ChartMarker* m : shown) {
    marker_xs.push_back(x(m->t_s));
    marker_texts.push_back(marker_label(m->label));
  }
  const std::vector<MarkerPlace> marker_places = marker_layout(marker_xs, marker_texts, width);
  int marker_rows = 0;
  for (const auto& p : marker_places) marker_rows = std::max(marker_rows, p.row + 1);

  const double plot_top = band_top + marker_rows * marker_row + (legend_rows > 0 || marker_rows > 0 ? 4 : 0);
  const double total_height = height + (plot_top - top);
  const double y_span = spec.y_max > spec.y_min ? spec.y_max - spec.y_min : 1;
  auto y = [&](double v) {
    return plot_top + (1 - (std::clamp(v, spec.y_min, spec.y_max) - spec.y_min) / y_span) * plot_h;
  };

  std::string svg = fmt::format(
      "<svg id=\"{}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\" "
      "aria-label=\"{}\">\n<title>{}</title>\n",
      html_escape(spec.id), width, total_height, html_escape(spec.title), html_escape(spec.title));
  svg += fmt::format("<text x=\"{}\" y=\"22\" class=\"chart-title\">{}</text>\n", left, html_escape(spec.title));

  // y grid and labels at round values
  std::vector<double> candidates{0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0};
  for (double scale = 10; scale <= 1e12; scale *= 10)
    for (double m : {2.0, 5.0, 10.0}) candidates.push_back(m * scale);  // rates, queue sizes
  double y_step = y_span;
  for (double candidate : candidates) {
    if (y_span / candidate <= std::clamp(std::floor(plot_h / 30), 2.0, 8.0)) {
      y_step = candidate;
      break;
    }
  }
  const int y_ticks = static_cast<int>(std::floor(y_span / y_step + 1e-9));
  for (int i = 0; i <= y_ticks; ++i) {
    double v = spec.y_max - y_step * i;
    std::string label = spec.y_tick        ? spec.y_tick(v)
                        : spec.y_percent ? fmt::format("{:.4g}%", v * 100)
                                         : fmt::format("{:.4g}", v);
    svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"grid\"/>"
                       "<text x=\"{}\" y=\"{:.1f}\" class=\"tick\" text-anchor=\"end\">{}</text>\n",
                       left, width - right, y(v), y(v), left - 6, y(v) + 4, label);
  }
  // x ticks at whole steps of UTC time
  // 12 ticks on a full-width chart; fewer on a narrow one, so that labels keep apart
  const double step = time_step_s(t1 - t0, std::clamp(std::floor(plot_w / 90), 3.0, 12.0));
  const double origin = spec.time_since_start ? 0.0 : spec.start_epoch_s;
  const double first = std::ceil((origin + t0) / step) * step - origin;
  for (double ts = first; ts <= t1 + 1e-9; ts += step) {
    // Offsets are wider than times of day: the last one keeps inside the
    // chart; the first keeps clear of the lowest y label in the corner.
    const bool at_edge = spec.time_since_start && x(ts) > width - right - 30;
    const bool at_start = x(ts) < left + 30;
    svg += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" class=\"grid\"/>"
                       "<text x=\"{:.1f}\" y=\"{}\" class=\"tick\" text-anchor=\"{}\">{}</text>\n",
                       x(ts), x(ts), plot_top, total_height - bottom, x(ts), total_height - bottom + 16,
                       at_edge ? "end" : at_start ? "start" : "middle",
                       spec.time_since_start ? offset_label(ts) : time_label(spec.start_epoch_s + ts, step));
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis-label\" text-anchor=\"middle\">{}</text>\n",
                     left + plot_w / 2, total_height - 12, spec.time_since_start ? "time since start" : "time (UTC)");
  svg += fmt::format("<text transform=\"translate(16 {}) rotate(-90)\" class=\"axis-label\" "
                     "text-anchor=\"middle\">{}</text>\n",
                     plot_top + plot_h / 2, html_escape(spec.y_label));

  // Markers below the lines; each is labelled in the rows above the plot
  // (marker_layout), its glyph on the label's row and a thin leader down
  // to its line, the full label on hover.
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const ChartMarker& m = *shown[i];
    const MarkerPlace& place = marker_places[i];
    const double mx = place.x;
    const char* kind = marker_class(m.kind);
    const double row_mid = plot_top - 4 - marker_row * place.row - marker_row / 2;
    svg += fmt::format("<g class=\"marked {0}\"><title>{5}</title>"
                       "<line x1=\"{1:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{3:.1f}\" class=\"leader {0}\"/>"
                       "<line x1=\"{1:.1f}\" x2=\"{1:.1f}\" y1=\"{3:.1f}\" y2=\"{4:.1f}\" class=\"marker {0}\"/>{6}",
                       kind, mx, row_mid + 4, plot_top, total_height - bottom, html_escape(m.label),
                       marker_glyph(m.kind, mx, row_mid));
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" class=\"marker-label {}\">{}</text></g>\n",
                       place.before ? mx - 7 : mx + 7, row_mid + 3.5, place.before ? "end" : "start", kind,
                       html_escape(marker_texts[i]));
  }
  // bands, under the lines: the high edge left to right, the low one back
  for (const auto& band : spec.bands) {
    std::string points;
    const std::size_t n = std::min({band.low->size(), band.high->size(), t.size()});
    for (std::size_t k = 0; k < n; ++k) points += fmt::format("{:.1f},{:.1f} ", x(t[k]), y((*band.high)[k]));
    for (std::size_t k = n; k-- > 0;) points += fmt::format("{:.1f},{:.1f} ", x(t[k]), y((*band.low)[k]));
    if (!points.empty()) points.pop_back();
    svg += fmt::format("<polygon class=\"band\" data-label=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\" "
                       "points=\"{}\"/>\n",
                       html_escape(band.label), palette_colour(static_cast<std::size_t>(band.colour)), band.opacity, points);
  }
  // published observations: tolerance boxes, then their points
  for (const auto& o : spec.observed) {
    const char* colour = palette_colour(static_cast<std::size_t>(o.colour));
    svg += fmt::format("<g class=\"observed\" data-label=\"{}\">\n", html_escape(o.label));
    for (const auto& b : o.boxes) {
      const double x0 = std::clamp(x(b.t0_s), left, width - right), x1 = std::clamp(x(b.t1_s), left, width - right);
      const double y0 = y(b.high), y1 = y(b.low);
      svg += fmt::format("<g class=\"observed-point\"><title>{}</title>"
                         "<rect class=\"observed-band\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                         "fill=\"{}\" fill-opacity=\"0.15\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
                         html_escape(b.title), x0, y0, std::max(1.0, x1 - x0), std::max(1.0, y1 - y0), colour, colour);
      if (b.interval)
        svg += fmt::format("<line class=\"observed-mark\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" "
                           "stroke=\"{}\" stroke-width=\"3\"/>",
                           x0, x0 + std::max(1.0, x1 - x0), y(b.value), y(b.value), colour);
      else
        svg += fmt::format("<circle class=\"observed-mark\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4.5\" fill=\"{}\" "
                           "stroke=\"#fff\" stroke-width=\"1\"/>",
                           std::clamp(x(b.t_s), left, width - right), y(b.value), colour);
      svg += "</g>\n";
    }
    svg += "</g>\n";
  }
  // series
  auto colour_of = [&](std::size_t i) {
    return palette_colour(spec.lines[i].colour >= 0 ? static_cast<std::size_t>(spec.lines[i].colour) : i);
  };
  constexpr const char* dash = " stroke-dasharray=\"7 4\"";
  for (std::size_t i = 0; i < spec.lines.size(); ++i) {
    const auto& line = spec.lines[i];
    const auto& values = *line.values;
    const auto& lt = line.t_s ? *line.t_s : t;
    std::string points;
    for (std::size_t k = 0; k < values.size() && k < lt.size(); ++k)
      points += fmt::format("{}{:.1f},{:.1f}", k ? " " : "", x(lt[k]), y(values[k]));
    svg += fmt::format("<polyline class=\"series\" data-label=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} "
                       "points=\"{}\"/>\n",
                       html_escape(line.label), colour_of(i), line.dashed ? dash : "", points);
  }
  // legend in rows under the title (legend_layout)
  for (std::size_t i = 0; i < legend.size(); ++i) {
    const double lx = legend[i].x, ly = top + 4 + legend_row * legend[i].row;  // the row's baseline
    if (i >= spec.lines.size() + spec.bands.size()) {
      const auto& o = spec.observed[i - spec.lines.size() - spec.bands.size()];
      const char* colour = palette_colour(static_cast<std::size_t>(o.colour));
      svg += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"{}\" fill-opacity=\"0.15\" "
                         "stroke=\"{}\" stroke-dasharray=\"3 2\"/><circle cx=\"{:.0f}\" cy=\"{:.0f}\" r=\"3\" fill=\"{}\"/>"
                         "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"legend\">{}</text>\n",
                         lx, ly - 9, colour, colour, lx + 7, ly - 4, colour, lx + 18, ly, html_escape(o.label));
      continue;
    }
    if (i >= spec.lines.size()) {
      const auto& band = spec.bands[i - spec.lines.size()];
      svg += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"10\" fill=\"{}\" fill-opacity=\"{}\"/>"
                         "<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"legend\">{}</text>\n",
                         lx, ly - 9, palette_colour(static_cast<std::size_t>(band.colour)), band.opacity, lx + 18, ly,
                         html_escape(band.label));
      continue;
    }
    if (spec.lines[i].dashed) {
      svg += fmt::format("<line x1=\"{:.0f}\" x2=\"{:.0f}\" y1=\"{:.0f}\" y2=\"{:.0f}\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                         lx, lx + 14, ly - 4, ly - 4, colour_of(i), dash);
    } else {
      svg += fmt::format("<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"14\" height=\"4\" fill=\"{}\"/>", lx, ly - 6,
                         colour_of(i));
    }
    svg += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" class=\"legend\">{}</text>\n", lx + 18, ly,
                       html_escape(spec.lines[i].label));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace outagesim::metrics
