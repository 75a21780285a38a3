#include "cumulative.hpp"

#include <algorithm>
#include <stdexcept>

namespace outagesim::metrics {

void CumulativeFailureSeries::add_series(SeriesTable& table) {
  const std::size_t with_rates = table.size();
  for (std::size_t i = 0; i < with_rates; ++i) {
    const Series& rate = table[SeriesId{i}];
    if (rate.metric != "failed_rps" || rate.scope == "global") continue;
    const auto* total = std::find_if(declared.begin(), declared.end(), [&](const auto& d) { return d.scope == rate.scope; });
    if (total == declared.end())
      throw std::logic_error("no failed_requests_cumulative declared for scope " + rate.scope);
    totals_.emplace_back(SeriesId{i}, table.add(*total, rate.entity));
  }
}

void CumulativeFailureSeries::sample(const Sample& s, SeriesTable& table) const {
  for (const auto& [rate, total] : totals_) table.push(total, integrated_so_far(table, rate, total, s));
}

}  // namespace outagesim::metrics
