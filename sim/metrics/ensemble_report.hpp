// An ensemble: runs of one scenario that differ by their seed (and any
// override), read back from their run directories, and how far they spread
// at each tick. ensemble.html draws global availability and config reach
// as the median with the 10-90% and min-max bands over the runs;
// ensemble.csv holds the same numbers for scripts (docs/outputs.md,
// "Ensembles").
#pragma once

#include "run_reader.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace outagesim::metrics {

/// At each tick, over the runs: the lowest, the 10th percentile, the median,
/// the 90th percentile and the highest value (percentiles interpolated
/// linearly between the order statistics, R's type 7).
struct Spread {
  std::vector<double> min, p10, median, p90, max;
};

/// One series of every run, its spread, and the runs it was read from.
struct EnsembleSeries {
  std::string scope;   ///< "global" or "channel"
  std::string entity;  ///< "" or the channel
  std::string metric;  ///< "availability" or "config_reach"
  std::size_t runs = 0;
  Spread spread;
};

struct Ensemble {
  std::vector<LoadedRun> runs;
  std::vector<double> t_s;  ///< the ticks, shared by every run
  std::vector<EnsembleSeries> series;  ///< global availability, then config reach per channel in first-seen order
};

/// The spread of `values` (one vector per run, each one per tick) at each tick.
Spread spread_of(const std::vector<const std::vector<double>*>& values);

/// The ensemble of `runs`; throws RunDirectoryError, naming the runs, when
/// they are fewer than two, of different scenarios, or do not share their
/// ticks (duration and resolution).
Ensemble ensemble_of(std::vector<LoadedRun> runs);

std::string render_ensemble_html(const Ensemble& ensemble);

/// t,scope,entity,metric,runs,min,p10,median,p90,max: one row per tick and series.
void write_ensemble_csv(std::ostream& out, const Ensemble& ensemble);

}  // namespace outagesim::metrics
