#include "output_tables.hpp"

#include "series.hpp"
#include "sim/world/events.hpp"

#include <fmt/format.h>

namespace outagesim::metrics {

std::string event_table_markdown() {
  std::string md = "| kind | what happened | entity | other keys |\n| --- | --- | --- | --- |\n";
  for (const auto& e : world::event_declarations())
    md += fmt::format("| `{}` | {} | {} | {} |\n", e.kind, e.description, e.entity, e.keys);
  return md;
}

std::string series_table_markdown() {
  std::string md = "| scope | entity | metric | unit | value |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& s : series_declarations())
    md += fmt::format("| `{}` | {} | `{}` | {} | {} |\n", s.scope, s.entity, s.metric, s.unit, s.description);
  return md;
}

}  // namespace outagesim::metrics
