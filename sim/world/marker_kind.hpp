// What a marker on a report's timeline stands for. Declared apart from the
// events so that the charts (metrics/svg_chart) draw each kind its own way
// without knowing the events.
#pragma once

namespace outagesim::world {

/// A fault firing, a fault ending, or an operator (or a health gate) acting.
enum class MarkerKind { fault_start, fault_end, action };

}  // namespace outagesim::world
