#include "plan.hpp"

#include "seeds.hpp"

namespace outagesim::experiment {

Sweep make_sweep(scenario::SweepSpec spec) {
  Sweep sweep;
  for (const auto& p : spec.parameters) sweep.factors.emplace_back(p);
  sweep.design = make_design(spec.design, sweep.factors, spec.seed);
  sweep.spec = std::move(spec);
  return sweep;
}

std::vector<PlannedRun> plan(const Sweep& sweep) {
  std::vector<PlannedRun> runs;
  const auto replications = static_cast<std::size_t>(sweep.spec.replications);
  runs.reserve(sweep.design.points.size() * replications);
  for (std::size_t point = 0; point < sweep.design.points.size(); ++point) {
    for (std::size_t r = 0; r < replications; ++r) {
      PlannedRun run{runs.size(), point, r, run_seed(sweep.spec.seed, point, r), {}};
      for (std::size_t j = 0; j < sweep.factors.size(); ++j)
        run.values.emplace_back(sweep.factors[j].path(), sweep.design.points[point][j]);
      runs.push_back(std::move(run));
    }
  }
  return runs;
}

}  // namespace outagesim::experiment
