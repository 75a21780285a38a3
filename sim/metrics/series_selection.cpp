#include "series_selection.hpp"

namespace outagesim::metrics {

bool matches_pattern(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point, the last `*`: linear in
  // practice, never exponential.
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

SeriesSelection::SeriesSelection(const std::optional<std::vector<scenario::SeriesFilter>>& filters)
    : filters_(filters) {}

bool SeriesSelection::matches(const scenario::SeriesFilter& f, const Series& s) {
  return (f.scope.empty() || f.scope == s.scope) && (f.metric.empty() || f.metric == s.metric) &&
         (f.entity.empty() || matches_pattern(f.entity, s.entity));
}

bool SeriesSelection::keeps(const Series& series) const {
  if (!filters_) return true;
  for (const auto& f : *filters_)
    if (matches(f, series)) return true;
  return false;
}

std::vector<std::size_t> SeriesSelection::unmatched(const std::vector<Series>& series) const {
  std::vector<std::size_t> out;
  if (!filters_) return out;
  for (std::size_t i = 0; i < filters_->size(); ++i) {
    bool any = false;
    for (const auto& s : series)
      if ((any = matches((*filters_)[i], s))) break;
    if (!any) out.push_back(i);
  }
  return out;
}

}  // namespace outagesim::metrics
