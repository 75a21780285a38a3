#include "config_reach.hpp"

namespace outagesim::metrics {

ConfigReachSeries::ConfigReachSeries(const world::World& world) : world_(world) {
  for (const auto& c : world.channels) {
    const int consumers = static_cast<int>(c.consumers.size());
    running_.emplace_back(static_cast<std::size_t>(consumers), -1);
    consumers_.push_back(consumers);
  }
  bad_consumers_.assign(world.channels.size(), 0);
  fault_consumers_.assign(world.faults.size(), 0);
}

void ConfigReachSeries::add_series(SeriesTable& table) {
  for (const auto& c : world_.channels) channel_.push_back(table.add(channel, c.id));
}

void ConfigReachSeries::sample(const Sample& /*s*/, SeriesTable& table) const {
  for (std::size_t c = 0; c < channel_.size(); ++c) {
    const int consumers = consumers_[c];
    table.push(channel_[c], consumers > 0 ? static_cast<double>(bad_consumers_[c]) / consumers : 0.0);
  }
}

void ConfigReachSeries::on_config_applied(double t_s, const world::ConfigApplied& applied,
                                          const world::WorldState& state, RunResult& result) {
  const auto c = static_cast<std::size_t>(applied.channel);
  int& mirrored = running_[c][static_cast<std::size_t>(applied.consumer)];
  const world::ConfigVersion* before = mirrored >= 0 ? &state.versions[static_cast<std::size_t>(mirrored)] : nullptr;
  const world::ConfigVersion& after = state.versions[static_cast<std::size_t>(applied.version)];
  mirrored = applied.version;

  bad_consumers_[c] += (after.bad() ? 1 : 0) - (before != nullptr && before->bad() ? 1 : 0);
  if (before != nullptr && before->fault >= 0) {
    int& remaining = fault_consumers_[static_cast<std::size_t>(before->fault)];
    if (--remaining == 0 && after.fault != before->fault)
      result.faults[static_cast<std::size_t>(before->fault)].recovered_at = t_s;
  }
  if (after.fault >= 0) {
    ++fault_consumers_[static_cast<std::size_t>(after.fault)];
    result.faults[static_cast<std::size_t>(after.fault)].recovered_at.reset();
  }

  auto& outcome = result.channels[c];
  if (outcome.first_bad_push_at && outcome.consumers > 0) {
    double share = static_cast<double>(bad_consumers_[c]) / outcome.consumers;
    if (!outcome.reach_t50 && share >= 0.5) outcome.reach_t50 = t_s - *outcome.first_bad_push_at;
    if (!outcome.reach_t95 && share >= 0.95) outcome.reach_t95 = t_s - *outcome.first_bad_push_at;
  }
}

}  // namespace outagesim::metrics
