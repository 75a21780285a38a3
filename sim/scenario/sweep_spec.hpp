// The sweep language (scenarios/sweeps/*.yaml): a base scenario, the
// parameters varied by `--set` paths, the design that picks their values,
// replications and the metrics collected from each run. Declared once with
// describe() like the scenario language, so the loader, the reference and
// the JSON Schema read the same declarations. Plain values; the experiment
// stage (sim/experiment/) turns them into a plan of runs.
#pragma once

#include "describe.hpp"
#include "source_map.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace outagesim::scenario {

enum class ParameterDistribution { uniform, log_uniform, normal, triangular };
enum class DesignKind { grid, random, latin_hypercube, morris };
enum class SeriesDerivation { value_at, first_below, first_above, minimum, maximum, integral };

template <>
struct EnumNames<ParameterDistribution> {
  static constexpr std::array values{std::pair{ParameterDistribution::uniform, std::string_view{"uniform"}},
                                     std::pair{ParameterDistribution::log_uniform, std::string_view{"log_uniform"}},
                                     std::pair{ParameterDistribution::normal, std::string_view{"normal"}},
                                     std::pair{ParameterDistribution::triangular, std::string_view{"triangular"}}};
};
template <>
struct EnumNames<DesignKind> {
  static constexpr std::array values{std::pair{DesignKind::grid, std::string_view{"grid"}},
                                     std::pair{DesignKind::random, std::string_view{"random"}},
                                     std::pair{DesignKind::latin_hypercube, std::string_view{"latin_hypercube"}},
                                     std::pair{DesignKind::morris, std::string_view{"morris"}}};
};
template <>
struct EnumNames<SeriesDerivation> {
  static constexpr std::array values{std::pair{SeriesDerivation::value_at, std::string_view{"value_at"}},
                                     std::pair{SeriesDerivation::first_below, std::string_view{"first_below"}},
                                     std::pair{SeriesDerivation::first_above, std::string_view{"first_above"}},
                                     std::pair{SeriesDerivation::minimum, std::string_view{"minimum"}},
                                     std::pair{SeriesDerivation::maximum, std::string_view{"maximum"}},
                                     std::pair{SeriesDerivation::integral, std::string_view{"integral"}}};
};

/// One varied value of the base scenario. Exactly one of `values`,
/// `from`/`to`/`step` or `dist` gives its values. Bounds are written as in
/// the scenario (`30%`, `2m`, `100k rps`); a drawn number is written back
/// with the bounds' suffix, so the scenario loader checks it as usual.
struct SweepParameter {
  std::string path;                 ///< a --set path: params.fl1_share, faults[0].at
  std::vector<std::string> values;  ///< an explicit list (any scalars, e.g. global, staged)
  std::string from, to, step;       ///< an arithmetic range, both ends included
  std::optional<ParameterDistribution> dist;
  std::string min, max;             ///< uniform, log_uniform, triangular: the support; normal: truncation
  std::string mean, sd;             ///< normal
  std::string mode;                 ///< triangular
  bool operator==(const SweepParameter&) const = default;
};

struct SweepDesign {
  static constexpr const char* shorthand = "kind";
  DesignKind kind = DesignKind::grid;
  int n = 0;             ///< random, latin_hypercube: points
  int trajectories = 0;  ///< morris: trajectories (each k + 1 points for k parameters)
  int levels = 4;        ///< morris: levels of each factor
  bool operator==(const SweepDesign&) const = default;
};

/// A number collected from each run: a value of summary.json or a value
/// derived from one series of timeseries.csv.
struct SweepMetric {
  std::string name;     ///< column name in results.csv
  std::string summary;  ///< a metric_path below summary.json's "metrics": faults/f1/recovered_at
  std::string scope;    ///< series: global, provider, service, region, site, channel...
  std::string entity;   ///< series: the entity's id (empty for global)
  std::string metric;   ///< series: availability, failed_rps, config_reach...
  std::optional<SeriesDerivation> derive;
  double at_s = 0;          ///< value_at: seconds from start
  double threshold = 0;     ///< first_below, first_above
  std::optional<double> from_s, to_s;  ///< integral, minimum, maximum: the window (default the run)
  bool operator==(const SweepMetric&) const = default;
};

struct SweepSpec {
  std::string name;
  std::string base;          ///< the base scenario, relative to the spec's folder
  std::uint64_t seed = 1;    ///< the sweep seed: designs and run seeds derive from it
  SweepDesign design;
  int replications = 1;
  std::vector<SweepParameter> parameters;
  std::vector<SweepMetric> metrics;
  double timeout_s = 600;                ///< per run; the child is killed past it
  double memory_limit_B = 4e9;           ///< per run: its address space (RLIMIT_AS)

  std::string file;  ///< the spec's path, as given
  std::shared_ptr<const SourceMap> sources;  ///< where each value was written
};

template <class V>
void describe(V& v, SweepParameter& p) {
  v.required("path", p.path, "The value varied, by the `--set` path syntax: params.fl1_share, faults[0].at");
  v.optional("values", p.values, "An explicit list of values, written as in the scenario (30%, 2m, staged)");
  v.optional("from", p.from, "Range: the first value, with its unit (1m)");
  v.optional("to", p.to, "Range: the last value, included when a whole number of steps away");
  v.optional("step", p.step, "Range: the positive step, with the same unit");
  v.optional("dist", p.dist, "A distribution: uniform, log_uniform, normal or triangular");
  v.optional("min", p.min, "uniform, log_uniform, triangular: the lowest value; normal: truncation below");
  v.optional("max", p.max, "uniform, log_uniform, triangular: the highest value; normal: truncation above");
  v.optional("mean", p.mean, "normal: the mean");
  v.optional("sd", p.sd, "normal: the standard deviation (before truncation)");
  v.optional("mode", p.mode, "triangular: the most likely value");
}

template <class V>
void describe(V& v, SweepDesign& d) {
  v.required("kind", d.kind, "grid (every combination of lists and ranges), random, latin_hypercube or morris");
  v.optional("n", d.n, "random, latin_hypercube: the number of points");
  v.optional("trajectories", d.trajectories, "morris: the number of trajectories (r; each has parameters + 1 points)");
  v.optional("levels", d.levels, "morris: levels of each factor (p, even, default 4)");
}

template <class V>
void describe(V& v, SweepMetric& m) {
  v.required("name", m.name, "Column name in results.csv");
  v.optional("summary", m.summary,
             "A value of the run's summary.json, by its path below \"metrics\" (availability_min, "
             "faults/<id>/recovered_at, channels/<id>/reach_t95)");
  v.optional("scope", m.scope, "A series of timeseries.csv: its scope (global, provider, service, site, channel...)");
  v.optional("entity", m.entity, "The series' entity (omitted for global)");
  v.optional("metric", m.metric, "The series' metric (availability, failed_rps, config_reach...)");
  v.optional("derive", m.derive,
             "What to take from the series: value_at, first_below, first_above (seconds from start, empty if "
             "never), minimum, maximum or integral (value x seconds)");
  v.optional("at", m.at_s, Unit::duration, "value_at: time from start");
  v.optional("threshold", m.threshold, Unit::none, "first_below, first_above: the threshold");
  v.optional("from", m.from_s, Unit::duration, "integral, minimum, maximum: window start (default the run's start)");
  v.optional("to", m.to_s, Unit::duration, "integral, minimum, maximum: window end (default the run's end)");
}

template <class V>
void describe(V& v, SweepSpec& s) {
  v.required("name", s.name, "Sweep name");
  v.required("base", s.base, "The base scenario file, relative to this file");
  v.optional("seed", s.seed, "The sweep seed: the designs' draws and every run's seed derive from it (default 1)");
  v.optional("design", s.design, "How points are chosen (default grid)");
  v.optional("replications", s.replications, "Runs per point, each with its own derived seed (default 1)");
  v.optional("parameters", s.parameters, "The values varied (none: a seed ensemble of the base scenario)");
  v.required("metrics", s.metrics, "The numbers collected from each run");
  v.optional("timeout", s.timeout_s, Unit::timeout, "Wall time allowed per run (default 10m)");
  v.optional("memory_limit", s.memory_limit_B, Unit::size, "Address space allowed per run (default 4GB)");
}

}  // namespace outagesim::scenario
