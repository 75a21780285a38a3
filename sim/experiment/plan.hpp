// A sweep made concrete: its factors, its design's points, and the plan, one
// PlannedRun per (point, replication) with the values and the seed it runs
// with. Run ids are 0..N-1, point-major, the same on every machine: the
// local runner, MPI ranks and shards all refer to runs by these ids.
#pragma once

#include "design.hpp"
#include "parameter_space.hpp"

#include "sim/scenario/sweep_spec.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace outagesim::experiment {

struct Sweep {
  scenario::SweepSpec spec;
  std::vector<Factor> factors;  ///< one per spec.parameters, in order
  Design design;
};

/// The factors and the design of a checked spec.
Sweep make_sweep(scenario::SweepSpec spec);

struct PlannedRun {
  std::size_t id = 0;
  std::size_t point = 0;
  std::size_t replication = 0;
  std::uint64_t seed = 0;  ///< run_seed(spec.seed, point, replication)
  std::vector<std::pair<std::string, std::string>> values;  ///< parameter path -> value text
};

/// Every run of the sweep: id = point * replications + replication.
std::vector<PlannedRun> plan(const Sweep& sweep);

}  // namespace outagesim::experiment
