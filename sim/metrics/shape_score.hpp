// Scoring a simulated series against a published one (issue #15, item 4):
// each published point against the samples in its tolerance, and the shape
// (onset, number and period of oscillations, plateau level, end of the
// tail) from the series' failing state. Shared by report.html
// (`run --observed`) and docs/validation.md; docs/published-series.md
// defines every rule.
#pragma once

#include "sim/scenario/published_series.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::metrics {

/// One published point measured in a simulated series.
struct PointScore {
  bool pass = false;
  int samples = 0;          ///< samples compared (in the point's window)
  double share_within = 0;  ///< of those, the share inside the band
  std::string simulated;    ///< what the series shows there, as the tables print it
};

/// One feature of the shape: onset, recoveries, period, plateau or end.
struct FeatureScore {
  std::string name;        ///< "onset", "recoveries before settling", "oscillation period", "plateau level", "end"
  std::string published;   ///< with its tolerance
  std::string simulated;   ///< "none" when the series has no such feature
  bool pass = false;
  std::string basis;       ///< of the published point or oscillations
};

struct SeriesScore {
  std::vector<PointScore> points;      ///< in the file's order
  std::vector<FeatureScore> features;  ///< onset, recoveries, period, plateau, end: those published
  [[nodiscard]] int points_within() const;
  [[nodiscard]] int features_within() const;
};

/// The compared value of each sample (`series.compared_value`), at `t_s`
/// seconds from `start_epoch_s`; `simulated` one value per time.
SeriesScore score_series(const scenario::PublishedSeries& series, double start_epoch_s,
                         const std::vector<double>& t_s, const std::vector<double>& simulated);

/// The times (seconds from start) at which the compared series enters the
/// failing state (its onsets) and leaves it (its recoveries).
struct FailingEpisodes {
  std::vector<double> onsets, recoveries;
};
FailingEpisodes failing_episodes(const scenario::PublishedSeries& series, const std::vector<double>& t_s,
                                 const std::vector<double>& simulated);

}  // namespace outagesim::metrics
