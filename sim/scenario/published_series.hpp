// Published time series of an incident (issue #15, item 4): the points that
// can be read from a postmortem's text and figures, each with its source and
// how it was read, and the simulated series each is compared with.
// docs/published-series.md describes the file format; the replays' files
// are tests/validation/observations/<incident>.series.yaml.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace outagesim::scenario {

/// What a published point says of the compared value.
enum class PointBound { equal, at_least, at_most };

/// The part of the shape a point marks (shape scoring, metrics/shape_score).
enum class ShapeFeature { none, onset, plateau, end };

/// How the simulated series is turned into the published quantity.
enum class ReadAs { value, failed_share };

struct PublishedPoint {
  double at_epoch_s = 0;
  std::optional<double> until_epoch_s;  ///< an interval: the value holds from `at` to `until`
  PointBound bound = PointBound::equal;
  double value = 0;                     ///< in the series' unit (a share as a fraction)
  double time_tolerance_s = 0;
  double value_tolerance = 0;           ///< for `equal`; bounds are exact
  ShapeFeature feature = ShapeFeature::none;
  std::string basis;                    ///< input, scripted, assumed, calibrated or predicted
  std::string reading;                  ///< how it was read: "text: '...'"
  std::string source_url;
  int line = 0;                         ///< where it is written, for messages
};

/// The published number and cycle of the oscillations before the series settles.
struct PublishedOscillations {
  std::optional<int> recoveries;          ///< exactly this many recoveries before settling
  std::optional<int> at_least;            ///< or at least this many
  /// The flapping follows a cycle: every stretch between two changes of
  /// state, before the series settles, lasts a whole number of cycles.
  std::optional<double> cycle_s;
  double cycle_tolerance_s = 0;
  std::string basis, reading, source_url;
};

struct PublishedSeries {
  std::string id, title, source_url;
  /// The simulated series it is compared with (timeseries.csv's scope,
  /// entity and metric); empty scope: not compared (`not_compared` says why).
  std::string scope, entity, metric;
  ReadAs read_as = ReadAs::value;
  std::string not_compared;
  std::string unit;  ///< share
  /// The compared value is in the failing state above (or below) this threshold.
  double failing_threshold = 0;
  bool failing_above = true;
  std::vector<PublishedPoint> points;
  std::optional<PublishedOscillations> oscillations;

  [[nodiscard]] bool compared() const { return !scope.empty(); }
  [[nodiscard]] bool failing(double compared_value) const {
    return failing_above ? compared_value > failing_threshold : compared_value < failing_threshold;
  }
  /// The compared value of one simulated sample.
  [[nodiscard]] double compared_value(double simulated) const {
    return read_as == ReadAs::failed_share ? 1 - simulated : simulated;
  }
};

struct PublishedSeriesFile {
  std::string file;
  std::string incident;
  std::vector<PublishedSeries> series;
};

/// Reads and checks a published-series file. Throws ScenarioError with every
/// problem located at file:line:column.
PublishedSeriesFile load_published_series(const std::string& path);
/// The same from text; `file` names it in diagnostics.
PublishedSeriesFile load_published_series_from_string(const std::string& text, const std::string& file);

const char* shape_feature_name(ShapeFeature f);
const char* point_bound_name(PointBound b);

}  // namespace outagesim::scenario
