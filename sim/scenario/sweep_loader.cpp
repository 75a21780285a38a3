#include "sweep_loader.hpp"

#include "document_limits.hpp"
#include "input_file.hpp"
#include "sweep_quantity.hpp"
#include "yaml_visitor.hpp"

#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {
namespace {

/// Largest number of values a range may expand to.
constexpr double max_range_values = 100'000;

class SweepChecks {
 public:
  SweepChecks(const SourceMap& sources, std::vector<Diagnostic>& diagnostics)
      : sources_(sources), diagnostics_(diagnostics) {}

  void check(const SweepSpec& s) {
    if (s.replications < 1) error("replications", "expected at least 1 replication");
    if (s.timeout_s <= 0) error("timeout", "expected a positive timeout");
    if (s.memory_limit_B < 64e6) error("memory_limit", "expected at least 64MB (a run needs its engine)");
    check_design(s);
    std::set<std::string> paths;
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
      const auto& p = s.parameters[i];
      const std::string at = fmt::format("parameters[{}]", i);
      if (!paths.insert(p.path).second) error(at + ".path", fmt::format("'{}' is varied twice", p.path));
      if (p.path == "scenario.seed") error(at + ".path", "the seed is set by replications, not varied as a parameter");
      check_parameter(p, at, s.design.kind);
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < s.metrics.size(); ++i) {
      const std::string at = fmt::format("metrics[{}]", i);
      if (!names.insert(s.metrics[i].name).second)
        error(at + ".name", fmt::format("metric name '{}' is used twice", s.metrics[i].name));
      check_metric(s.metrics[i], at);
    }
    if (s.metrics.empty()) error("metrics", "expected at least one metric");
  }

 private:
  void error(const std::string& path, std::string message) { diagnostics_.push_back(sources_.at(path, std::move(message))); }

  void check_design(const SweepSpec& s) {
    const auto& d = s.design;
    switch (d.kind) {
      case DesignKind::grid: break;
      case DesignKind::random:
      case DesignKind::latin_hypercube:
        if (d.n < 1) error("design", "random and latin_hypercube need n, the number of points (at least 1)");
        if (s.parameters.empty()) error("design", "random and latin_hypercube need at least one parameter");
        break;
      case DesignKind::morris:
        if (d.trajectories < 2) error("design", "morris needs trajectories: 2 or more");
        if (d.levels < 2 || d.levels % 2 != 0) error("design.levels", "expected an even number of levels, at least 2");
        if (s.parameters.empty()) error("design", "morris needs at least one parameter");
        break;
    }
  }

  /// The bound at `key`, as a number with its suffix; reports it when it is not one.
  std::optional<SplitQuantity> bound(const std::string& at, const char* key, const std::string& text) {
    auto split = split_quantity(text);
    if (!split) error(fmt::format("{}.{}", at, key), fmt::format("expected a number with its unit (2m, 30%), got '{}'", text));
    return split;
  }

  void same_suffix(const std::string& at, const std::vector<std::optional<SplitQuantity>>& parts) {
    const SplitQuantity* first = nullptr;
    for (const auto& q : parts) {
      if (!q) continue;
      if (!first) first = &*q;
      else if (q->suffix != first->suffix)
        return error(at, fmt::format("the bounds use different units ('{}' and '{}'); write them with the same one",
                                     first->suffix, q->suffix));
    }
  }

  void check_parameter(const SweepParameter& p, const std::string& at, DesignKind design) {
    const bool has_range = !p.from.empty() || !p.to.empty() || !p.step.empty();
    const int sources = int(!p.values.empty()) + int(has_range) + int(p.dist.has_value());
    if (sources != 1)
      return error(at, "expected exactly one of values: [...], from/to/step, or dist: (uniform, log_uniform, normal, triangular)");
    const bool dist_fields = !p.min.empty() || !p.max.empty() || !p.mean.empty() || !p.sd.empty() || !p.mode.empty();
    if (!p.dist && dist_fields) return error(at, "min, max, mean, sd and mode belong to a distribution (dist: ...)");
    if (has_range) {
      if (p.from.empty() || p.to.empty() || p.step.empty()) return error(at, "a range needs from, to and step");
      auto from = bound(at, "from", p.from), to = bound(at, "to", p.to), step = bound(at, "step", p.step);
      if (!from || !to || !step) return;
      same_suffix(at, {from, to, step});
      if (step->number <= 0) return error(at + ".step", "expected a positive step");
      if (to->number < from->number) return error(at + ".to", "expected to >= from");
      if ((to->number - from->number) / step->number + 1 > max_range_values)
        return error(at + ".step", fmt::format("the range has more than {:g} values", max_range_values));
    }
    if (p.dist) {
      if (design == DesignKind::grid)
        return error(at + ".dist", "a grid needs values or a range; distributions are for random, latin_hypercube and morris designs");
      check_distribution(p, at);
    }
  }

  void check_distribution(const SweepParameter& p, const std::string& at) {
    auto present = [&](const char* key, const std::string& text) -> std::optional<SplitQuantity> {
      if (text.empty()) return std::nullopt;
      return bound(at, key, text);
    };
    auto min = present("min", p.min), max = present("max", p.max), mean = present("mean", p.mean),
         sd = present("sd", p.sd), mode = present("mode", p.mode);
    same_suffix(at, {min, max, mean, sd, mode});
    auto need = [&](bool ok, const char* what) {
      if (!ok) error(at, fmt::format("dist: {} needs {}", enum_name(*p.dist), what));
      return ok;
    };
    auto only = [&](const char* key, const std::string& text) {
      if (!text.empty()) error(fmt::format("{}.{}", at, key), fmt::format("dist: {} takes no {}", enum_name(*p.dist), key));
    };
    switch (*p.dist) {
      case ParameterDistribution::uniform:
      case ParameterDistribution::log_uniform:
        only("mean", p.mean), only("sd", p.sd), only("mode", p.mode);
        if (!need(!p.min.empty() && !p.max.empty(), "min and max") || !min || !max) return;
        if (max->number <= min->number) return error(at, "expected min < max");
        if (*p.dist == ParameterDistribution::log_uniform && min->number <= 0)
          return error(at + ".min", "log_uniform needs a positive min");
        break;
      case ParameterDistribution::normal:
        only("mode", p.mode);
        if (!need(!p.mean.empty() && !p.sd.empty(), "mean and sd") || !mean || !sd) return;
        if (sd->number <= 0) return error(at + ".sd", "expected a positive sd");
        if (min && max && max->number <= min->number) return error(at, "expected min < max");
        break;
      case ParameterDistribution::triangular:
        only("mean", p.mean), only("sd", p.sd);
        if (!need(!p.min.empty() && !p.max.empty() && !p.mode.empty(), "min, mode and max") || !min || !max || !mode)
          return;
        if (!(min->number < max->number && min->number <= mode->number && mode->number <= max->number))
          return error(at, "expected min <= mode <= max and min < max");
        break;
    }
  }

  void check_metric(const SweepMetric& m, const std::string& at) {
    const bool series = !m.scope.empty() || !m.metric.empty() || !m.entity.empty() || m.derive.has_value();
    if (m.summary.empty() == !series)
      return error(at, "expected either summary: (a summary.json path) or a series (scope, metric, derive)");
    if (!series) return;
    if (m.scope.empty() || m.metric.empty() || !m.derive)
      return error(at, "a series metric needs scope, metric and derive");
    if (m.scope == "global" && !m.entity.empty()) error(at + ".entity", "the global scope has no entity");
    if (m.scope != "global" && m.entity.empty()) error(at, fmt::format("scope {} needs an entity", m.scope));
    if (m.from_s && m.to_s && *m.to_s <= *m.from_s) error(at + ".to", "expected to > from");
  }

  const SourceMap& sources_;
  std::vector<Diagnostic>& diagnostics_;
};

}  // namespace

SweepSpec load_sweep_from_string(const std::string& text, const std::string& file) {
  if (text.size() > max_scenario_bytes)
    throw ScenarioError({Diagnostic{file, 0, 0, "", fmt::format("the sweep spec is {} bytes; at most {}", text.size(), max_scenario_bytes)}});
  check_document(text, file);
  std::vector<Diagnostic> diagnostics;
  SourceMap sources(file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError({Diagnostic{file, e.mark.line + 1, e.mark.column + 1, "", fmt::format("invalid YAML: {}", e.msg)}});
  }
  if (!root.IsMap())
    throw ScenarioError({Diagnostic{file, 1, 1, "", "expected a mapping with keys name, base, parameters, metrics, ..."}});
  sources.record("", 1, 1);
  SweepSpec spec;
  LoadContext context{sources, diagnostics};
  YamlVisitor visitor(context, root, "");
  describe(visitor, spec);
  visitor.finish();
  if (diagnostics.empty()) SweepChecks(sources, diagnostics).check(spec);
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
  spec.file = file;
  spec.sources = std::make_shared<const SourceMap>(std::move(sources));
  return spec;
}

SweepSpec load_sweep(const std::string& path) {
  return load_sweep_from_string(read_input_file(path, "sweep spec"), path);
}

}  // namespace outagesim::scenario
