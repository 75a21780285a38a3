// Declared series: every series of timeseries.csv is declared once, next to
// the observer that computes it (sim/metrics/series/), with its scope,
// metric, unit, description and where the report shows it, in the spirit of
// OMNeT++'s declared statistics. The collector, timeseries.csv's order, the
// report's charts and docs/outputs.md's table follow from the declarations.
#pragma once

#include "run_result.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/evaluator.hpp"
#include "sim/world/state.hpp"
#include "sim/world/world.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::metrics {

/// Where report.html shows a series (besides timeseries.csv).
enum class ReportView {
  none,
  global_chart,          ///< "Availability": the global line
  config_reach_chart,    ///< "Config reach": one line per channel
  services_chart,        ///< "Providers and services": one line per series
  affected_sites_table,  ///< "Most affected sites": ranked by requests failed
};

/// One kind of series: timeseries.csv's scope and metric, and what
/// docs/outputs.md says of it.
struct SeriesDeclaration {
  std::string_view scope;
  std::string_view metric;
  std::string_view unit;         ///< of the value, as docs/outputs.md prints it
  std::string_view entity;       ///< what the entity column names
  std::string_view description;  ///< what the value is, and who gets the series
  ReportView shown_in = ReportView::none;
};

/// A series' place in RunResult::series (and in each sample's rows of
/// timeseries.csv): not an entity's index, so the two cannot be mixed up.
enum class SeriesId : std::size_t {};

/// The run's series as the observers add and fill them, one sample at a
/// time: each observer pushes this sample's value of each of its series
/// into the row, and end_sample() appends the row to the series the run
/// holds (Series::held) and keeps it as the previous row. A series that is
/// not held costs one double, whatever the length of the run.
class SeriesTable {
 public:
  explicit SeriesTable(std::vector<Series>& series) : series_(series) {}

  /// Appends a series of this declaration for `entity` ("" for global).
  SeriesId add(const SeriesDeclaration& declared, std::string entity) {
    series_.push_back({std::string(declared.scope), std::move(entity), std::string(declared.metric), {}});
    row_.push_back(0.0);
    previous_.push_back(0.0);
    return SeriesId{series_.size() - 1};
  }
  /// This sample's value of a series.
  void push(SeriesId id, double value) { row_[index(id)] = value; }
  /// Its value at the sample before this one (0 before the second sample).
  [[nodiscard]] double previous(SeriesId id) const { return previous_[index(id)]; }
  /// This sample's values, one per series in the table's order (what
  /// timeseries.csv writes for the sample).
  [[nodiscard]] const std::vector<double>& row() const { return row_; }
  /// The sample is complete: the held series keep its values.
  void end_sample() {
    for (std::size_t i = 0; i < series_.size(); ++i)
      if (series_[i].held) series_[i].values.push_back(row_[i]);
    previous_.swap(row_);
  }
  [[nodiscard]] const Series& operator[](SeriesId id) const { return series_[index(id)]; }
  [[nodiscard]] std::size_t size() const { return series_.size(); }

 private:
  static std::size_t index(SeriesId id) { return static_cast<std::size_t>(id); }
  std::vector<Series>& series_;
  std::vector<double> row_;       ///< this sample's values
  std::vector<double> previous_;  ///< the previous sample's
};

/// What every series observer reads at a sample.
struct Sample {
  double t_s = 0;
  const std::vector<double>& times;  ///< every sample's time so far, this one last
  const world::WorldState& state;
  const world::Availability& availability;
  const world::Evaluator& evaluator;  ///< its needs() per service, at this sample
  double demand = 1;                  ///< world::demand_factor now
};

/// The integral of a rate series up to the sample before this one: sample
/// k stands for the interval up to sample k + 1.
double integrated_so_far(const SeriesTable& table, SeriesId rate, SeriesId total, const Sample& s);

/// Providers in the order their first service is declared.
std::vector<std::string> provider_names(const world::World& world);
/// The sites that get series (`output.site_series`), in site order.
std::vector<std::size_t> sites_with_series(const world::World& world);

/// Every declaration, in the order of docs/outputs.md's table (the
/// observers' order in the collector, each observer's own order).
const std::vector<SeriesDeclaration>& series_declarations();

/// The declaration of a series by its scope and metric, or nullptr.
const SeriesDeclaration* find_series_declaration(std::string_view scope, std::string_view metric);

}  // namespace outagesim::metrics
