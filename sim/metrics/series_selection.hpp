// Which rows timeseries.csv holds (`output.series`, docs/outputs.md): a
// series is written when any filter matches its scope, entity and metric.
// Without filters every series is written. Selection applies to the file
// only: report.html and summary.json are computed from every series.
#pragma once

#include "run_result.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace outagesim::metrics {

/// Whether `text` matches `pattern`, where `*` stands for any run of
/// characters (none included) and `?` for exactly one.
bool matches_pattern(std::string_view pattern, std::string_view text);

class SeriesSelection {
 public:
  explicit SeriesSelection(const std::optional<std::vector<scenario::SeriesFilter>>& filters);

  [[nodiscard]] bool keeps(const Series& series) const;
  /// Indices of the filters that match none of `series`: written in vain, worth a warning.
  [[nodiscard]] std::vector<std::size_t> unmatched(const std::vector<Series>& series) const;

 private:
  static bool matches(const scenario::SeriesFilter& f, const Series& s);
  std::optional<std::vector<scenario::SeriesFilter>> filters_;
};

}  // namespace outagesim::metrics
