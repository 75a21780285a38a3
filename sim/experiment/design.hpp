// The designs that choose a sweep's points: grid (every combination of the
// factors' levels), random and Latin hypercube (n points in the unit cube,
// mapped through each factor), and Morris elementary effects (trajectories
// that move one factor at a time by a fixed step, for global sensitivity).
// All draws come from the sweep seed, so a design is a pure function of it.
#pragma once

#include "parameter_space.hpp"

#include "sim/scenario/sweep_spec.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace outagesim::experiment {

/// One move of a Morris trajectory: from point `from` to point `to`, only
/// `factor` changed, by `delta` on the normalised level scale [0, 1].
struct MorrisStep {
  std::size_t from = 0;
  std::size_t to = 0;
  std::size_t factor = 0;
  double delta = 0;
};

struct Design {
  /// Per point, the value text of each factor (in factor order).
  std::vector<std::vector<std::string>> points;
  /// Per point, the unit-cube coordinate it came from (empty for grid).
  std::vector<std::vector<double>> unit;
  std::vector<MorrisStep> morris_steps;  ///< Morris designs only
};

/// Every combination of the factors' levels, the last factor varying fastest;
/// one empty point when there are no factors (a seed ensemble).
Design grid_design(const std::vector<Factor>& factors);
/// n points drawn independently and uniformly.
Design random_design(const std::vector<Factor>& factors, int n, std::uint64_t seed);
/// n points, one in each of the n equal strata of every dimension (McKay, Beckman and Conover 1979).
Design latin_hypercube_design(const std::vector<Factor>& factors, int n, std::uint64_t seed);
/// r trajectories of k + 1 points on p levels, step delta = p / (2 (p - 1))
/// (Morris 1991); level x maps to u = (x (p - 1) + 1/2) / p, the middle of
/// its stratum, so that a distribution's tails stay finite.
Design morris_design(const std::vector<Factor>& factors, int trajectories, int levels, std::uint64_t seed);

Design make_design(const scenario::SweepDesign& spec, const std::vector<Factor>& factors, std::uint64_t seed);

}  // namespace outagesim::experiment
