#include "collector.hpp"

#include "sim/scenario/describe.hpp"
#include "sim/world/availability.hpp"
#include "sim/world/client_routing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

namespace outagesim::metrics {
namespace {

constexpr double impaired_below = 1.0 - 1e-12;

/// Per service with memory, in this order (docs/outputs.md).
constexpr std::array traffic_metrics{"offered_rps", "goodput_rps", "queue_wait_s", "latency_p50_s", "latency_p95_s",
                                     "lease_share"};

}  // namespace

const Series* RunResult::find(const std::string& scope, const std::string& entity, const std::string& metric) const {
  for (const auto& s : series)
    if (s.scope == scope && s.entity == entity && s.metric == metric) return &s;
  return nullptr;
}

Collector::Collector(const world::World& world)
    : world_(world), evaluator_(world), attribution_(world), mitigation_(world) {
  result_.scenario = world.name;
  result_.seed = world.seed;
  result_.start_epoch_s = world.start_epoch_s;
  result_.duration_s = world.duration_s;
  result_.resolution_s = world.resolution_s;
  result_.site_down_below = world.site_down_below;
  result_.sites = static_cast<int>(world.sites.size());

  auto& series = result_.series;
  series.push_back({"global", "", "availability", {}});
  series.push_back({"global", "", "failed_rps", {}});
  series.push_back({"global", "", "sites_down", {}});
  series.push_back({"global", "", "failed_requests_cumulative", {}});
  provider_series_ = series.size();
  std::vector<std::string> providers;
  for (const auto& s : world.services)
    if (std::find(providers.begin(), providers.end(), s.provider) == providers.end()) providers.push_back(s.provider);
  for (const auto& p : providers) series.push_back({"provider", p, "availability", {}});
  service_series_ = series.size();
  for (const auto& s : world.services) series.push_back({"service", s.id, "availability", {}});
  region_series_ = series.size();
  for (const auto& r : world.platform.regions) series.push_back({"region", r.name, "availability", {}});
  site_series_ = series.size();
  for (std::size_t s = 0; s < world.sites.size(); ++s) {
    if (!world.sites[s].series) continue;
    series_sites_.push_back(static_cast<int>(s));
    series.push_back({"site", world.sites[s].name, "availability", {}});
  }
  channel_series_ = series.size();
  for (const auto& c : world.channels) series.push_back({"channel", c.id, "config_reach", {}});
  // Failed request rates by scope, after the availability series so that
  // existing rows keep their order.
  failed_series_ = series.size();
  for (const auto& p : providers) series.push_back({"provider", p, "failed_rps", {}});
  for (const auto& s : world.services) series.push_back({"service", s.id, "failed_rps", {}});
  for (const auto& s : world.sites)
    if (s.series) series.push_back({"site", s.name, "failed_rps", {}});
  // The traffic model's view of services that queue, retry or hold leases.
  traffic_series_ = series.size();
  std::vector<bool> slowed(world.services.size(), false);
  for (const auto& f : world.faults)
    if (std::holds_alternative<scenario::faults::LatencyInjection>(f.kind))
      for (int i : f.instances) slowed[static_cast<std::size_t>(world.instances[static_cast<std::size_t>(i)].service)] = true;
  for (std::size_t s = 0; s < world.services.size(); ++s) {
    if (!world.services[s].has_memory() && !slowed[s]) continue;
    traffic_services_.push_back(s);
    for (const char* metric : traffic_metrics)
      series.push_back({"service", world.services[s].id, metric, {}});
  }
  // What each client region's users see of each service, and the latency
  // routing adds (docs/models/routing.md).
  routing_series_ = series.size();
  if (!world.client_region_names.empty()) {
    for (const auto& s : world.services)
      for (const auto& region : world.client_region_names)
        series.push_back({"service", s.id + "/" + region, "client_availability", {}});
    series.push_back({"global", "", "latency_p50_s", {}});
    series.push_back({"global", "", "latency_p95_s", {}});
    for (const auto& s : world.services)
      for (const auto& region : world.client_region_names)
        series.push_back({"service", s.id + "/" + region, "client_latency_s", {}});
    // Sites reached through a DNS record, as each region's users see them
    // through their own resolvers (docs/models/dns.md).
    for (std::size_t s = 0; s < world.sites.size(); ++s) {
      if (!world.sites[s].series || world::through_records(world.sites[s].dependencies) == 0) continue;
      regional_sites_.push_back(s);
      for (const auto& region : world.client_region_names)
        series.push_back({"site", world.sites[s].name + "/" + region, "client_availability", {}});
    }
  }

  // Traffic segments (a share of a service's traffic with its own
  // configuration, e.g. the customers with the Managed Ruleset).
  segment_series_ = series.size();
  for (const auto& s : world.services)
    for (const auto& g : s.segments) {
      series.push_back({"segment", s.id + "/" + g.name, "availability", {}});
      series.push_back({"segment", s.id + "/" + g.name, "failed_rps", {}});
    }

  // Failed requests so far, for every scope with a failed rate (sites only
  // those with series: `output.site_series` keeps large populations small).
  const std::size_t with_rates = series.size();
  for (std::size_t i = 4; i < with_rates; ++i) {
    if (series[i].metric != "failed_rps") continue;
    cumulative_.emplace_back(i, series.size());
    series.push_back({series[i].scope, series[i].entity, "failed_requests_cumulative", {}});
  }

  for (const auto& c : world.channels) {
    int consumers = static_cast<int>(world.services[static_cast<std::size_t>(c.service)].instances.size());
    running_.emplace_back(static_cast<std::size_t>(consumers), -1);
    result_.channels.push_back(ChannelOutcome{c.id, consumers, {}, {}, {}});
  }
  bad_consumers_.assign(world.channels.size(), 0);
  fault_consumers_.assign(world.faults.size(), 0);
  for (const auto& f : world.faults)
    result_.faults.push_back(FaultOutcome{
        f.id, f.channel >= 0 ? world.channels[static_cast<std::size_t>(f.channel)].id : std::string{}, {}, {}, {}, {}});
}

void Collector::on_event(const world::Event& event, const world::WorldState& state) {
  if (const auto* injected = std::get_if<world::FaultInjected>(&event.what)) {
    auto& fault = result_.faults[static_cast<std::size_t>(injected->fault)];
    fault.injected_at = event.t_s;
    result_.marks.push_back({event.t_s, "fault " + fault.id, true});

  } else if (const auto* ended = std::get_if<world::FaultEnded>(&event.what)) {
    auto& fault = result_.faults[static_cast<std::size_t>(ended->fault)];
    result_.marks.push_back({event.t_s, "end of fault " + fault.id, true});
    // A fault without a config version recovers when what it changed is
    // restored (a config fault, when no consumer runs its version any more).
    if (world_.faults[static_cast<std::size_t>(ended->fault)].channel < 0 && !fault.recovered_at)
      fault.recovered_at = event.t_s;
  } else if (const auto* acted = std::get_if<world::OperatorActed>(&event.what)) {
    const auto& action = world_.actions[static_cast<std::size_t>(acted->action)];
    const std::string target = action.channel >= 0   ? world_.channels[static_cast<std::size_t>(action.channel)].id
                               : action.service >= 0 ? world_.services[static_cast<std::size_t>(action.service)].id
                                                     : std::string{};
    result_.marks.push_back(
        {event.t_s, fmt::format("{}: {} {}", action.operator_name, scenario::kind_name(action.kind), target), false});
    // The first action that reduces a fault's effect mitigates it (mitigation.hpp).
    for (int f : mitigation_.mitigated_by(acted->action, state, result_.faults))
      result_.faults[static_cast<std::size_t>(f)].mitigated_at = event.t_s;
  } else if (const auto* applied = std::get_if<world::ConfigApplied>(&event.what)) {
    on_config_applied(event.t_s, *applied, state);
  } else if (const auto* published = std::get_if<world::ConfigPublished>(&event.what)) {
    auto& channel = result_.channels[static_cast<std::size_t>(published->channel)];
    if (!channel.first_bad_push_at && state.versions[static_cast<std::size_t>(published->version)].bad())
      channel.first_bad_push_at = event.t_s;
  } else if (const auto* halted = std::get_if<world::RolloutHalted>(&event.what)) {
    result_.marks.push_back({event.t_s,
                             fmt::format("{} rollout of {} halted{}", halted->by_health_gate ? "health gate:" : "operator:",
                                         world_.channels[static_cast<std::size_t>(halted->channel)].id,
                                         halted->rolled_back ? " and rolled back" : ""),
                             false});
  } else if (const auto* detected = std::get_if<world::OperatorDetected>(&event.what)) {
    const auto& team = world_.operators[static_cast<std::size_t>(detected->team)];
    result_.marks.push_back({event.t_s, team.name + " detects", false});
    for (auto& fault : result_.faults)
      if (fault.injected_at && !fault.recovered_at && !fault.detected_at) fault.detected_at = event.t_s;
  }
}

void Collector::on_config_applied(double t_s, const world::ConfigApplied& applied, const world::WorldState& state) {
  const auto c = static_cast<std::size_t>(applied.channel);
  int& mirrored = running_[c][static_cast<std::size_t>(applied.consumer)];
  const world::ConfigVersion* before = mirrored >= 0 ? &state.versions[static_cast<std::size_t>(mirrored)] : nullptr;
  const world::ConfigVersion& after = state.versions[static_cast<std::size_t>(applied.version)];
  mirrored = applied.version;

  bad_consumers_[c] += (after.bad() ? 1 : 0) - (before != nullptr && before->bad() ? 1 : 0);
  if (before != nullptr && before->fault >= 0) {
    int& remaining = fault_consumers_[static_cast<std::size_t>(before->fault)];
    if (--remaining == 0 && after.fault != before->fault)
      result_.faults[static_cast<std::size_t>(before->fault)].recovered_at = t_s;
  }
  if (after.fault >= 0) {
    ++fault_consumers_[static_cast<std::size_t>(after.fault)];
    result_.faults[static_cast<std::size_t>(after.fault)].recovered_at.reset();
  }

  auto& channel = result_.channels[c];
  if (channel.first_bad_push_at && channel.consumers > 0) {
    double share = static_cast<double>(bad_consumers_[c]) / channel.consumers;
    if (!channel.reach_t50 && share >= 0.5) channel.reach_t50 = t_s - *channel.first_bad_push_at;
    if (!channel.reach_t95 && share >= 0.95) channel.reach_t95 = t_s - *channel.first_bad_push_at;
  }
}

void Collector::on_sample(double t_s, const world::WorldState& state) {
  result_.t_s.push_back(t_s);
  const world::Availability& a = evaluator_.evaluate(state, /*client_views=*/!regional_sites_.empty());
  for (std::size_t s = 0; s < world_.services.size(); ++s) values(service_series_ + s).push_back(a.service[s]);
  for (std::size_t p = provider_series_; p < service_series_; ++p) {
    const std::string& provider = result_.series[p].entity;
    values(p).push_back(world::pool_of(world_, state, [&](const world::Instance& i) {
      return world_.services[static_cast<std::size_t>(i.service)].provider == provider;
    }));
  }
  for (std::size_t r = 0; r < world_.platform.regions.size(); ++r)
    values(region_series_ + r).push_back(
        world::pool_of(world_, state, [&](const world::Instance& i) { return i.region == static_cast<int>(r); }));

  std::size_t next_series = site_series_;
  for (int s : series_sites_) values(next_series++).push_back(a.site[static_cast<std::size_t>(s)]);
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
  values(0).push_back(a.global);
  values(1).push_back(a.failed_rps);
  values(2).push_back(a.sites_down);
  // Failed requests up to t_s: sample k stands for the interval up to sample k + 1.
  const std::size_t n = result_.t_s.size();
  values(3).push_back(n < 2 ? 0.0 : values(3).back() + values(1)[n - 2] * (t_s - result_.t_s[n - 2]));
  attribution_.on_sample(t_s, a, state);

  for (std::size_t c = 0; c < world_.channels.size(); ++c) {
    const int consumers = result_.channels[c].consumers;
    values(channel_series_ + c).push_back(consumers > 0 ? static_cast<double>(bad_consumers_[c]) / consumers : 0.0);
  }

  // A service fails the share of the load offered to it (after surges) that
  // it does not serve; a provider, the sum over its services.
  const double demand = world::demand_factor(world_, state.now_s);
  std::vector<double> service_failed(world_.services.size());
  for (std::size_t s = 0; s < world_.services.size(); ++s)
    service_failed[s] = world_.services[s].offered_rps * state.services[s].load_factor * demand * (1.0 - a.service[s]);
  std::size_t next = failed_series_;
  for (std::size_t p = provider_series_; p < service_series_; ++p, ++next) {
    double failed = 0;
    for (std::size_t s = 0; s < world_.services.size(); ++s)
      if (world_.services[s].provider == result_.series[p].entity) failed += service_failed[s];
    values(next).push_back(failed);
  }
  for (double failed : service_failed) values(next++).push_back(failed);
  for (int s : series_sites_) {
    const auto i = static_cast<std::size_t>(s);
    values(next++).push_back(world_.sites[i].rps * demand * (1.0 - a.site[i]));
  }

  next = segment_series_;
  for (std::size_t s = 0; s < world_.services.size(); ++s) {
    const auto& service = world_.services[s];
    for (std::size_t g = 0; g < service.segments.size(); ++g) {
      const double availability = segment_availability(s, g, a.service[s], state);
      values(next++).push_back(availability);
      values(next++).push_back(service.offered_rps * state.services[s].load_factor * demand *
                               service.segments[g].share * (1.0 - availability));
    }
  }

  // Sample k stands for the interval up to sample k + 1, as for the global total.
  for (const auto& [rate, total] : cumulative_) {
    auto& sums = values(total);
    sums.push_back(n < 2 ? 0.0 : sums.back() + values(rate)[n - 2] * (t_s - result_.t_s[n - 2]));
  }

  if (!world_.client_region_names.empty()) {
    const world::RoutedTraffic routed = world::route_traffic(world_, state);
    next = routing_series_;
    for (const auto& service : routed.services)
      for (double v : service.availability) values(next++).push_back(v);
    values(next++).push_back(routed.latency_p50_s);
    values(next++).push_back(routed.latency_p95_s);
    for (const auto& service : routed.services)
      for (double v : service.latency_s) values(next++).push_back(v);
    for (std::size_t s : regional_sites_)
      for (double v : a.site_by_client[s]) values(next++).push_back(v);
  }

  if (traffic_services_.empty()) return;
  const std::vector<double>& needs = evaluator_.needs();
  next = traffic_series_;
  for (std::size_t s : traffic_services_) {
    const auto o = world::service_outcome(world_, state, static_cast<int>(s), needs[s], /*with_latency=*/true);
    for (double v : {o.offered_rps, o.goodput_rps, o.wait_s, o.latency_p50_s, o.latency_p95_s, o.lease_share})
      values(next++).push_back(v);
  }
}

double Collector::segment_availability(std::size_t service, std::size_t segment, double service_availability,
                                       const world::WorldState& state) const {
  // The service's availability with the error share of all its traffic
  // replaced by that of the segment's: capacity and dependencies hit every
  // segment alike, config effects may not.
  double capacity = 0, healthy_all = 0, healthy_segment = 0;
  for (std::size_t k = 0; k < world_.services[service].instances.size(); ++k) {
    const int i = world_.services[service].instances[k];
    const auto& instance = state.instances[static_cast<std::size_t>(i)];
    if (!instance.up) continue;
    const double c = world_.instances[static_cast<std::size_t>(i)].capacity_rps * instance.capacity_factor;
    const auto variant = static_cast<std::size_t>(world_.instances[static_cast<std::size_t>(i)].variant);
    double survives = 1.0;
    for (std::size_t ch = 0; ch < world_.channels.size(); ++ch) {
      if (world_.channels[ch].service != static_cast<int>(service)) continue;
      const auto& version = state.versions[static_cast<std::size_t>(state.running[ch][k])];
      if (!version.segment_error_rates.empty()) survives *= 1.0 - version.segment_error_rates[variant][segment];
    }
    capacity += c;
    healthy_all += c * (1.0 - instance.error_rate);
    healthy_segment += c * survives;
  }
  if (capacity <= 0 || healthy_all <= 0) return healthy_segment > 0 ? service_availability : 0.0;
  return std::clamp(service_availability * healthy_segment / healthy_all, 0.0, 1.0);
}

RunResult Collector::finish(std::optional<double> interrupted_at) {
  result_.interrupted = interrupted_at.has_value();
  result_.reached_s = interrupted_at.value_or(result_.duration_s);
  const double end_s = result_.reached_s;
  const auto& t = result_.t_s;
  const auto& availability = result_.series[0].values;
  const auto& failed_rps = result_.series[1].values;
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
