#include "collector.hpp"

#include "safeguards.hpp"
#include "sim/world/availability.hpp"

#include <algorithm>

namespace outagesim::metrics {
namespace {

constexpr double impaired_below = 1.0 - 1e-12;

}  // namespace

const Series* RunResult::find(const std::string& scope, const std::string& entity, const std::string& metric) const {
  for (const auto& s : series)
    if (s.scope == scope && s.entity == entity && s.metric == metric) return &s;
  return nullptr;
}

Collector::Collector(const world::World& world, const SeriesRetention& retention, TimeseriesWriter* rows)
    : world_(world),
      evaluator_(world),
      series_(observers_for(world, static_cast<const SeriesObservers*>(nullptr))),
      rows_(rows),
      attribution_(world),
      mitigation_(world) {
  result_.scenario = world.name;
  result_.seed = world.seed;
  result_.start_epoch_s = world.start_epoch_s;
  result_.duration_s = world.duration_s;
  result_.resolution_s = world.resolution_s;
  result_.series_filters = world.series_filters;
  result_.timeseries_compression = world.timeseries_compression;
  result_.site_down_below = world.site_down_below;
  result_.sites = static_cast<int>(world.sites.size());

  // Each observer adds its series in turn: their order is timeseries.csv's.
  std::apply([&](auto&... observers) { (observers.add_series(table_), ...); }, series_);
  for (auto& s : result_.series) s.held = retention.holds(s);
  if (rows_ != nullptr) rows_->set_series(result_.series);

  for (const auto& c : world.channels) {
    int consumers = static_cast<int>(world.services[static_cast<std::size_t>(c.service)].instances.size());
    result_.channels.push_back(ChannelOutcome{c.id, consumers, {}, {}, {}});
  }
  result_.safeguards = declared_safeguards(world);
  for (const auto& f : world.faults)
    result_.faults.push_back(FaultOutcome{
        f.id, f.channel >= 0 ? world.channels[static_cast<std::size_t>(f.channel)].id : std::string{}, {}, {}, {}, {}});
}

void Collector::on_event(const world::Event& event, const world::WorldState& state) {
  // Which events mark the timeline, and how, is declared with each event type (world/events.hpp).
  const world::EventContext context{world_, state};
  if (auto mark = std::visit([&](const auto& what) { return what.marker(context); }, event.what))
    result_.marks.push_back({event.t_s, std::move(mark->label), mark->kind});
  if (auto safeguard = triggered_by(world_, result_.safeguards, event.what))
    result_.safeguards[*safeguard].triggered_at.push_back(event.t_s);

  // A fault's lifecycle and a channel's reach follow from these; other events change neither.
  if (const auto* injected = std::get_if<world::FaultInjected>(&event.what)) {
    result_.faults[static_cast<std::size_t>(injected->fault)].injected_at = event.t_s;
  } else if (const auto* ended = std::get_if<world::FaultEnded>(&event.what)) {
    auto& fault = result_.faults[static_cast<std::size_t>(ended->fault)];
    // A fault without a config version recovers when what it changed is
    // restored (a config fault, when no consumer runs its version any more).
    if (world_.faults[static_cast<std::size_t>(ended->fault)].channel < 0 && !fault.recovered_at)
      fault.recovered_at = event.t_s;
  } else if (const auto* acted = std::get_if<world::OperatorActed>(&event.what)) {
    // The first action that reduces a fault's effect mitigates it (mitigation.hpp).
    for (int f : mitigation_.mitigated_by(acted->action, state, result_.faults))
      result_.faults[static_cast<std::size_t>(f)].mitigated_at = event.t_s;
  } else if (const auto* applied = std::get_if<world::ConfigApplied>(&event.what)) {
    std::get<ConfigReachSeries>(series_).on_config_applied(event.t_s, *applied, state, result_);
  } else if (const auto* published = std::get_if<world::ConfigPublished>(&event.what)) {
    auto& channel = result_.channels[static_cast<std::size_t>(published->channel)];
    if (!channel.first_bad_push_at && state.versions[static_cast<std::size_t>(published->version)].bad())
      channel.first_bad_push_at = event.t_s;
  } else if (std::holds_alternative<world::OperatorDetected>(event.what)) {
    for (auto& fault : result_.faults)
      if (fault.injected_at && !fault.recovered_at && !fault.detected_at) fault.detected_at = event.t_s;
  }
}

void Collector::on_sample(double t_s, const world::WorldState& state) {
  result_.t_s.push_back(t_s);
  const world::Availability& a =
      evaluator_.evaluate(state, /*client_views=*/std::get<RoutingSeries>(series_).needs_client_views());
  // A site is down when its class is: members are marked once, by class.
  if (site_down_.empty()) {
    site_down_.assign(world_.sites.size(), false);
    class_down_.assign(world_.site_classes.size(), false);
  }
  for (std::size_t c = 0; c < world_.site_classes.size(); ++c) {
    if (class_down_[c] || a.site_class[c] >= world_.site_down_below) continue;
    class_down_[c] = true;
    for (int s : world_.site_classes[c].sites) site_down_[static_cast<std::size_t>(s)] = true;
  }
  offered_.push_back(a.offered_rps);
  attribution_.on_sample(t_s, a, state);

  const Sample sample{t_s, result_.t_s, state, a, evaluator_, world::demand_factor(world_, state.now_s)};
  std::apply([&](const auto&... observers) { (observers.sample(sample, table_), ...); }, series_);
  if (rows_ != nullptr) rows_->write_sample(t_s, table_.row());
  table_.end_sample();
}

RunResult Collector::finish(std::optional<double> interrupted_at) {
  result_.interrupted = interrupted_at.has_value();
  result_.reached_s = interrupted_at.value_or(result_.duration_s);
  const double end_s = result_.reached_s;
  const auto& t = result_.t_s;
  const auto& global = std::get<GlobalSeries>(series_);
  const auto& availability = table_[global.availability_id()].values;
  const auto& failed_rps = table_[global.failed_rps_id()].values;
  const std::size_t n = t.size();
  double offered_total = 0, failed_total = 0;
  result_.availability_min = 1.0;
  std::optional<std::size_t> first_impaired, last_impaired;
  for (std::size_t k = 0; k < n; ++k) {
    // Sample k stands for the interval up to the next tick (the last one up to the end of the run).
    double weight_s = (k + 1 < n ? t[k + 1] : end_s) - t[k];
    offered_total += offered_[k] * weight_s;
    failed_total += failed_rps[k] * weight_s;
    result_.availability_min = std::min(result_.availability_min, availability[k]);
    if (availability[k] < impaired_below) {
      if (!first_impaired) first_impaired = k;
      last_impaired = k;
    }
  }
  result_.failed_requests = failed_total;
  result_.availability_mean = offered_total > 0 ? 1.0 - failed_total / offered_total : 1.0;
  if (first_impaired) result_.impact_start = t[*first_impaired];
  if (last_impaired && *last_impaired + 1 < n) result_.impact_end = t[*last_impaired + 1];

  result_.sites_affected = static_cast<int>(std::count(site_down_.begin(), site_down_.end(), true));
  std::stable_sort(result_.marks.begin(), result_.marks.end(),
                   [](const TimelineMark& a, const TimelineMark& b) { return a.t_s < b.t_s; });
  attribution_.finish(end_s, result_);
  return std::move(result_);
}

}  // namespace outagesim::metrics
