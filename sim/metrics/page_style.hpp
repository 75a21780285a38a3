// The style sheet of the HTML pages (report.html, compare.html), inline so
// that a page needs nothing but itself. Colours are Okabe-Ito.
#pragma once

namespace outagesim::metrics {

inline constexpr const char* page_style = R"(
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
.marker.fault-end { stroke: #D55E00; stroke-width: 1.5; stroke-dasharray: 10 3 2 3; }
.marker.action { stroke: #0072B2; stroke-width: 1.5; stroke-dasharray: 2 3; }
.leader { stroke-width: 0.75; stroke-opacity: 0.5; } .leader.fault, .leader.fault-end { stroke: #D55E00; } .leader.action { stroke: #0072B2; }
.glyph.fault-start { fill: #D55E00; } .glyph.fault-end { fill: #fff; stroke: #D55E00; stroke-width: 1.5; }
.glyph.action { fill: #0072B2; }
.marker-label { font-size: 10px; } .marker-label.fault, .marker-label.fault-end { fill: #D55E00; }
.marker-label.action { fill: #0072B2; }
.key span { margin-right: 18px; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 8px 16px; }
.multiples figure { margin: 0; } .multiples figcaption { color: #555; font-size: 13px; }
)";

}  // namespace outagesim::metrics
