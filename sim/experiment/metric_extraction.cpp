#include "metric_extraction.hpp"

#include "sim/metrics/run_directory.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace outagesim::experiment {
namespace {

using nlohmann::ordered_json;
using scenario::SeriesDerivation;

/// summary.json's "metrics" object, written by the run directory's own writer.
ordered_json summary_metrics(const metrics::RunResult& result) {
  std::ostringstream out;
  metrics::write_summary_json(out, result, metrics::Provenance{});
  return ordered_json::parse(out.str()).at("metrics");
}

void flatten(const ordered_json& j, std::vector<std::string>& keys,
             std::vector<std::pair<std::string, std::optional<double>>>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      keys.push_back(key);
      flatten(value, keys, out);
      keys.pop_back();
    }
  } else if (j.is_number()) {
    out.emplace_back(metrics::metric_path(keys), j.get<double>());
  } else if (j.is_null()) {
    out.emplace_back(metrics::metric_path(keys), std::nullopt);
  }
}

std::vector<std::pair<std::string, std::optional<double>>> summary_values(const metrics::RunResult& result) {
  std::vector<std::pair<std::string, std::optional<double>>> values;
  std::vector<std::string> keys;
  flatten(summary_metrics(result), keys, values);
  return values;
}

/// Sample k holds from t[k] to the next tick (the last one to the end reached),
/// as the collector weighs it.
double sample_end(const metrics::RunResult& r, std::size_t k) {
  return k + 1 < r.t_s.size() ? r.t_s[k + 1] : r.reached_s;
}

std::optional<double> derive(const metrics::RunResult& r, const std::vector<double>& v, const scenario::SweepMetric& m) {
  const double from = m.from_s.value_or(0);
  const double to = m.to_s.value_or(std::numeric_limits<double>::infinity());
  switch (*m.derive) {
    case SeriesDerivation::value_at: {
      std::optional<double> value;
      for (std::size_t k = 0; k < v.size() && r.t_s[k] <= m.at_s; ++k) value = v[k];
      return value;
    }
    case SeriesDerivation::first_below:
    case SeriesDerivation::first_above:
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (r.t_s[k] < from || r.t_s[k] > to) continue;
        if (*m.derive == SeriesDerivation::first_below ? v[k] < m.threshold : v[k] > m.threshold) return r.t_s[k];
      }
      return std::nullopt;
    case SeriesDerivation::minimum:
    case SeriesDerivation::maximum: {
      std::optional<double> extreme;
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (r.t_s[k] < from || r.t_s[k] > to) continue;
        if (!extreme) extreme = v[k];
        else extreme = *m.derive == SeriesDerivation::minimum ? std::min(*extreme, v[k]) : std::max(*extreme, v[k]);
      }
      return extreme;
    }
    case SeriesDerivation::integral: {
      double sum = 0;
      for (std::size_t k = 0; k < v.size(); ++k) {
        const double overlap = std::min(sample_end(r, k), to) - std::max(r.t_s[k], from);
        if (overlap > 0) sum += v[k] * overlap;
      }
      return sum;
    }
  }
  throw std::logic_error("unknown series derivation");
}

}  // namespace

std::vector<std::string> summary_paths(const metrics::RunResult& result) {
  std::vector<std::string> paths;
  for (const auto& [path, value] : summary_values(result)) paths.push_back(path);
  return paths;
}

std::optional<double> extract_metric(const metrics::RunResult& result, const scenario::SweepMetric& metric) {
  return extract_metrics(result, {metric}).front();
}

std::vector<metrics::SeriesKey> series_read_by(const std::vector<scenario::SweepMetric>& metrics) {
  std::vector<metrics::SeriesKey> keys;
  for (const auto& m : metrics)
    if (m.summary.empty()) keys.push_back({m.scope, m.entity, m.metric});
  return keys;
}

std::vector<std::optional<double>> extract_metrics(const metrics::RunResult& result,
                                                   const std::vector<scenario::SweepMetric>& metrics) {
  std::vector<std::pair<std::string, std::optional<double>>> summary;
  std::vector<std::optional<double>> out;
  for (const auto& m : metrics) {
    if (!m.summary.empty()) {
      if (summary.empty()) summary = summary_values(result);
      auto it = std::find_if(summary.begin(), summary.end(), [&](const auto& p) { return p.first == m.summary; });
      out.push_back(it == summary.end() ? std::nullopt : it->second);
      continue;
    }
    const metrics::Series* series = result.find(m.scope, m.entity, m.metric);
    out.push_back(series ? derive(result, series->values, m) : std::nullopt);
  }
  return out;
}

}  // namespace outagesim::experiment
