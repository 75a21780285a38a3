#include "prepared_sweep.hpp"

#include "metric_extraction.hpp"

#include "sim/metrics/collector.hpp"
#include "sim/scenario/input_file.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/suggest.hpp"
#include "sim/scenario/sweep_loader.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

namespace fs = std::filesystem;

std::string fnv1a_hex(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

/// The values of a factor worth a check load: every level of a short list,
/// the ends of a long one, and a distribution's extremes.
std::vector<std::string> values_to_check(const Factor& factor) {
  if (factor.discrete()) {
    const auto& levels = factor.levels();
    if (levels.size() <= 16) return levels;
    return {levels.front(), levels[levels.size() / 2], levels.back()};
  }
  return {factor.value_at(0.001), factor.value_at(0.5), factor.value_at(0.999)};
}

void check_parameters(const PreparedSweep& p, std::vector<scenario::Diagnostic>& diagnostics) {
  const auto& sources = *p.sweep.spec.sources;
  for (std::size_t i = 0; i < p.sweep.factors.size(); ++i) {
    const Factor& factor = p.sweep.factors[i];
    // A --set path may add a key the base leaves out, but a parameter the
    // base does not declare would be set and never used: a typo.
    if (factor.path().starts_with("params.")) {
      const std::string name = factor.path().substr(7);
      std::vector<std::string> declared;
      for (const auto& [param, value] : p.base.params) declared.push_back(param);
      if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
        diagnostics.push_back(sources.at(
            fmt::format("parameters[{}].path", i),
            fmt::format("the base scenario has no parameter '{}'{}; it declares: {}", name,
                        scenario::did_you_mean(name, declared), fmt::join(declared, ", "))));
        continue;
      }
    }
    for (const auto& value : values_to_check(factor)) {
      try {
        scenario::load_from_string(p.base_text, p.base_path, {{factor.path(), value}});
      } catch (const scenario::ScenarioError& e) {
        const auto& first = e.diagnostics().front();
        diagnostics.push_back(sources.at(
            fmt::format("parameters[{}]", i),
            fmt::format("{}={} is refused by the base scenario {}: {}{}", factor.path(), value, p.base_path,
                        first.path.empty() || first.path == factor.path() ? "" : first.path + ": ", first.message)));
        break;  // one value says it; the others would repeat it
      }
    }
  }
}

/// Metrics are checked against what a run of the base would report: its
/// summary.json paths and its series, from a collector that saw no sample.
void check_metrics(const PreparedSweep& p, std::vector<scenario::Diagnostic>& diagnostics) {
  const world::World world = world::build(p.base);
  metrics::Collector collector(world, metrics::SeriesRetention::without_report());
  const metrics::RunResult empty = collector.finish();
  const std::vector<std::string> paths = summary_paths(empty);
  const auto& sources = *p.sweep.spec.sources;
  const auto& metrics = p.sweep.spec.metrics;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const auto& m = metrics[i];
    if (!m.summary.empty()) {
      if (std::find(paths.begin(), paths.end(), m.summary) == paths.end())
        diagnostics.push_back(sources.at(fmt::format("metrics[{}].summary", i),
                                         fmt::format("summary.json of {} has no number at '{}'{}", p.base_path,
                                                     m.summary, scenario::did_you_mean(m.summary, paths))));
      continue;
    }
    if (empty.find(m.scope, m.entity, m.metric)) continue;
    std::set<std::string> scopes, entities, names;
    for (const auto& s : empty.series) {
      scopes.insert(s.scope);
      if (s.scope == m.scope) entities.insert(s.entity);
      if (s.scope == m.scope && s.entity == m.entity) names.insert(s.metric);
    }
    auto listed = [](const std::set<std::string>& set) { return std::vector<std::string>(set.begin(), set.end()); };
    std::string what;
    if (!scopes.contains(m.scope))
      what = fmt::format("no scope '{}'{}", m.scope, scenario::did_you_mean(m.scope, listed(scopes)));
    else if (!entities.contains(m.entity))
      what = fmt::format("no {} '{}'{}", m.scope, m.entity, scenario::did_you_mean(m.entity, listed(entities)));
    else
      what = fmt::format("no metric '{}' for {} '{}'; it has: {}", m.metric, m.scope, m.entity,
                         fmt::join(names, ", "));
    diagnostics.push_back(
        sources.at(fmt::format("metrics[{}]", i), fmt::format("timeseries.csv of {} has {}", p.base_path, what)));
  }
}

}  // namespace

std::vector<scenario::Override> run_overrides(const PlannedRun& run) {
  std::vector<scenario::Override> overrides;
  for (const auto& [path, value] : run.values) overrides.push_back({path, value});
  overrides.push_back({"scenario.seed", std::to_string(run.seed)});
  return overrides;
}

PreparedSweep prepare_sweep(const std::string& spec_path) {
  const std::string spec_text = scenario::read_input_file(spec_path, "sweep spec");
  scenario::SweepSpec spec = scenario::load_sweep_from_string(spec_text, spec_path);
  PreparedSweep p;
  p.base_path = (fs::path(spec_path).parent_path() / spec.base).lexically_normal().string();
  try {
    p.base_text = scenario::read_input_file(p.base_path, "base scenario");
    p.base = scenario::load_from_string(p.base_text, p.base_path);
  } catch (const scenario::ScenarioError& e) {
    std::vector<scenario::Diagnostic> diagnostics{
        spec.sources->at("base", fmt::format("the base scenario {} cannot be used:", p.base_path))};
    diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
    throw scenario::ScenarioError(std::move(diagnostics));
  }
  p.base_hash = p.base.source_hash;
  // The base is part of what the journal's runs were made from: a sweep
  // whose base (or a template it uses) changed is another sweep, never
  // resumed from the old one's runs.
  p.spec_hash = fnv1a_hex(spec_text + "\nbase " + p.base_hash);
  p.sweep = make_sweep(std::move(spec));
  std::vector<scenario::Diagnostic> diagnostics;
  check_parameters(p, diagnostics);
  check_metrics(p, diagnostics);
  if (!diagnostics.empty()) throw scenario::ScenarioError(std::move(diagnostics));
  p.runs = plan(p.sweep);
  return p;
}

}  // namespace outagesim::experiment
