#include "sweep_tables.hpp"

#include <cmath>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

/// The values of metric m over the ok runs of each point.
std::vector<std::vector<double>> values_by_point(const PreparedSweep& sweep, const std::vector<RunRecord>& records,
                                                 std::size_t m) {
  std::vector<std::vector<double>> values(sweep.sweep.design.points.size());
  for (const auto& r : records)
    if (r.status == RunStatus::ok && r.metrics[m]) values[sweep.runs[r.id].point].push_back(*r.metrics[m]);
  return values;
}

}  // namespace

std::string format_number(double value) { return fmt::format("{}", value); }
std::string format_number(const std::optional<double>& value) { return value ? format_number(*value) : std::string(); }

SweepTables sweep_tables(const PreparedSweep& sweep, const std::vector<RunRecord>& records) {
  SweepTables t;
  for (const auto& r : records) t.failed += r.status != RunStatus::ok;
  const std::size_t metrics = sweep.sweep.spec.metrics.size();
  const std::size_t points = sweep.sweep.design.points.size();
  std::vector<std::vector<std::vector<double>>> by_metric;
  for (std::size_t m = 0; m < metrics; ++m) by_metric.push_back(values_by_point(sweep, records, m));
  for (std::size_t p = 0; p < points; ++p)
    for (std::size_t m = 0; m < metrics; ++m)
      t.points.push_back({p, m, by_metric[m][p].empty() ? std::nullopt : std::optional(summarise(by_metric[m][p]))});

  const bool morris = sweep.sweep.spec.design.kind == scenario::DesignKind::morris;
  for (std::size_t j = 0; j < sweep.sweep.factors.size(); ++j) {
    for (std::size_t m = 0; m < metrics; ++m) {
      Sensitivity s{j, m, morris ? "morris" : "spearman", {}, {}, {}, 0};
      if (morris) {
        // Elementary effects on the means over each point's replications.
        std::vector<double> effects;
        for (const auto& step : sweep.sweep.design.morris_steps) {
          if (step.factor != j || by_metric[m][step.from].empty() || by_metric[m][step.to].empty()) continue;
          const double from = summarise(by_metric[m][step.from]).mean, to = summarise(by_metric[m][step.to]).mean;
          effects.push_back((to - from) / step.delta);
        }
        const MorrisMeasures measures = morris_measures(effects);
        s.n = measures.effects;
        if (s.n > 0) {
          s.value = measures.mu_star;
          s.mu = measures.mu;
          s.sigma = measures.sigma;
        }
      } else {
        std::vector<double> x, y;
        for (const auto& r : records) {
          if (r.status != RunStatus::ok || !r.metrics[m]) continue;
          x.push_back(sweep.sweep.factors[j].number(sweep.runs[r.id].values[j].second));
          y.push_back(*r.metrics[m]);
        }
        s.n = x.size();
        s.value = spearman(x, y);
      }
      t.sensitivities.push_back(std::move(s));
    }
  }
  return t;
}

}  // namespace outagesim::experiment
