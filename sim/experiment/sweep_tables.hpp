// The numbers behind summary.csv, sensitivity.csv and report.html, computed
// once from the records: per point and metric the summary of its ok runs,
// and per parameter and metric a sensitivity measure (Morris mu* and sigma
// for Morris designs; Spearman's rank correlation for the others).
#pragma once

#include "prepared_sweep.hpp"
#include "run_record.hpp"
#include "statistics.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::experiment {

struct PointSummary {
  std::size_t point = 0;
  std::size_t metric = 0;
  std::optional<Summary> summary;  ///< none when no run of the point has a value
};

struct Sensitivity {
  std::size_t parameter = 0;
  std::size_t metric = 0;
  std::string method;           ///< morris or spearman
  std::optional<double> value;  ///< mu* or rho; none when undefined (a constant metric)
  std::optional<double> mu;     ///< morris: the mean effect, signed
  std::optional<double> sigma;  ///< morris: the spread of the effects
  std::size_t n = 0;            ///< elementary effects, or pairs
};

struct SweepTables {
  std::vector<PointSummary> points;       ///< point-major, then metric
  std::vector<Sensitivity> sensitivities; ///< parameter-major, then metric
  std::size_t failed = 0;
};

/// `records` sorted by id, one per planned run.
SweepTables sweep_tables(const PreparedSweep& sweep, const std::vector<RunRecord>& records);

/// A number as the outputs write it: the shortest text that reads back exactly.
std::string format_number(double value);
std::string format_number(const std::optional<double>& value);

}  // namespace outagesim::experiment
