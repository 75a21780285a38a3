#include "state.hpp"

#include "config_effects.hpp"

#include <limits>

#include <fmt/format.h>

namespace outagesim::world {

bool ConfigVersion::bad() const { return fault >= 0; }

std::string ConfigVersion::label(const World& world) const {
  return fmt::format("{}@v{}", world.channels[static_cast<std::size_t>(channel)].id, number);
}

WorldState WorldState::initial(const World& world) {
  WorldState state;
  state.instances.resize(world.instances.size());
  state.services.resize(world.services.size());
  for (std::size_t s = 0; s < world.services.size(); ++s)
    state.services[s].queue = models::QueueState::initial(world.services[s].queue);
  state.unreachable.resize(world.services.size());
  state.partly_answered.resize(world.services.size());
  state.unreachable_from.assign(world.client_regions.size(),
                                std::vector<std::vector<models::Unreachable>>(world.services.size()));
  for (const auto& record : world.records)
    state.records.push_back(RecordState{record.points_to, false, true, {}, -1,
                                        {{-std::numeric_limits<double>::infinity(), record.points_to}}});
  for (std::size_t c = 0; c < world.channels.size(); ++c) {
    const auto& channel = world.channels[c];
    int version = state.publish(static_cast<int>(c), -1, channel.size_bytes, {}, "initial");
    state.running.emplace_back(channel.consumers.size(), version);
  }
  return state;
}

int WorldState::publish(int channel, int fault, double size_bytes, std::vector<double> error_rate_by_variant,
                        std::string origin, std::vector<std::vector<double>> segment_error_rates) {
  if (latest.size() <= static_cast<std::size_t>(channel)) latest.resize(static_cast<std::size_t>(channel) + 1, -1);
  int& last = latest[static_cast<std::size_t>(channel)];
  int number = last < 0 ? 0 : versions[static_cast<std::size_t>(last)].number + 1;
  versions.push_back(
      ConfigVersion{channel, number, fault, size_bytes, std::move(error_rate_by_variant),
                    std::move(segment_error_rates), std::move(origin)});
  last = static_cast<int>(versions.size() - 1);
  return last;
}

bool WorldState::apply(const World& world, int channel, int k, int version) {
  int& current = running[static_cast<std::size_t>(channel)][static_cast<std::size_t>(k)];
  if (versions[static_cast<std::size_t>(version)].number <= versions[static_cast<std::size_t>(current)].number)
    return false;
  current = version;
  const int instance = world.channels[static_cast<std::size_t>(channel)].consumers[static_cast<std::size_t>(k)];
  // Failures caused by different channels' files are independent.
  double healthy = 1.0;
  for (const auto& [c, kc] : world.instances[static_cast<std::size_t>(instance)].consumes)
    healthy *= 1.0 - config_error_rate(world, *this, c, kc);
  instances[static_cast<std::size_t>(instance)].error_rate = 1.0 - healthy;
  return true;
}

}  // namespace outagesim::world
