#include "design.hpp"

#include "seeds.hpp"

#include <numeric>
#include <stdexcept>

namespace outagesim::experiment {
namespace {

/// The design's own stream: apart from the run seeds derived from the same sweep seed.
DesignRng design_rng(std::uint64_t seed) { return DesignRng(splitmix64(seed ^ 0x64657369676eull)); }

Design from_unit(const std::vector<Factor>& factors, std::vector<std::vector<double>> unit) {
  Design d;
  for (const auto& u : unit) {
    std::vector<std::string> values;
    for (std::size_t j = 0; j < factors.size(); ++j) values.push_back(factors[j].value_at(u[j]));
    d.points.push_back(std::move(values));
  }
  d.unit = std::move(unit);
  return d;
}

}  // namespace

Design grid_design(const std::vector<Factor>& factors) {
  Design d;
  std::vector<std::size_t> index(factors.size(), 0);
  while (true) {
    std::vector<std::string> values;
    for (std::size_t j = 0; j < factors.size(); ++j) values.push_back(factors[j].levels()[index[j]]);
    d.points.push_back(std::move(values));
    std::size_t j = factors.size();
    while (j > 0) {
      --j;
      if (++index[j] < factors[j].levels().size()) break;
      index[j] = 0;
      if (j == 0) return d;
    }
    if (factors.empty()) return d;
  }
}

Design random_design(const std::vector<Factor>& factors, int n, std::uint64_t seed) {
  DesignRng rng = design_rng(seed);
  std::vector<std::vector<double>> unit(static_cast<std::size_t>(n), std::vector<double>(factors.size()));
  for (auto& point : unit)
    for (auto& u : point) u = rng.uniform();
  return from_unit(factors, std::move(unit));
}

Design latin_hypercube_design(const std::vector<Factor>& factors, int n, std::uint64_t seed) {
  DesignRng rng = design_rng(seed);
  const auto count = static_cast<std::size_t>(n);
  std::vector<std::vector<double>> unit(count, std::vector<double>(factors.size()));
  for (std::size_t j = 0; j < factors.size(); ++j) {
    std::vector<std::size_t> stratum(count);
    std::iota(stratum.begin(), stratum.end(), 0);
    for (std::size_t i = count; i > 1; --i) std::swap(stratum[i - 1], stratum[rng.below(i)]);  // Fisher-Yates
    for (std::size_t i = 0; i < count; ++i)
      unit[i][j] = (static_cast<double>(stratum[i]) + rng.uniform()) / static_cast<double>(count);
  }
  return from_unit(factors, std::move(unit));
}

Design morris_design(const std::vector<Factor>& factors, int trajectories, int levels, std::uint64_t seed) {
  DesignRng rng = design_rng(seed);
  const std::size_t k = factors.size();
  const auto p = static_cast<std::size_t>(levels);
  const std::size_t jump = p / 2;  // delta in levels
  const double step = static_cast<double>(p - 1);
  auto to_unit = [&](const std::vector<std::size_t>& level) {
    std::vector<double> u(k);
    for (std::size_t j = 0; j < k; ++j) u[j] = (static_cast<double>(level[j]) + 0.5) / static_cast<double>(p);
    return u;
  };
  std::vector<std::vector<double>> unit;
  std::vector<MorrisStep> steps;
  for (int t = 0; t < trajectories; ++t) {
    // Each factor moves up from the lower half or down from the upper half.
    std::vector<std::size_t> level(k);
    std::vector<int> direction(k);
    for (std::size_t j = 0; j < k; ++j) {
      direction[j] = rng.below(2) == 0 ? 1 : -1;
      level[j] = rng.below(jump) + (direction[j] > 0 ? 0 : jump);
    }
    std::vector<std::size_t> order(k);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    unit.push_back(to_unit(level));
    for (std::size_t j : order) {
      level[j] = direction[j] > 0 ? level[j] + jump : level[j] - jump;
      unit.push_back(to_unit(level));
      steps.push_back({unit.size() - 2, unit.size() - 1, j, direction[j] * static_cast<double>(jump) / step});
    }
  }
  Design d = from_unit(factors, std::move(unit));
  d.morris_steps = std::move(steps);
  return d;
}

Design make_design(const scenario::SweepDesign& spec, const std::vector<Factor>& factors, std::uint64_t seed) {
  switch (spec.kind) {
    case scenario::DesignKind::grid: return grid_design(factors);
    case scenario::DesignKind::random: return random_design(factors, spec.n, seed);
    case scenario::DesignKind::latin_hypercube: return latin_hypercube_design(factors, spec.n, seed);
    case scenario::DesignKind::morris: return morris_design(factors, spec.trajectories, spec.levels, seed);
  }
  throw std::logic_error("unknown design kind");
}

}  // namespace outagesim::experiment
