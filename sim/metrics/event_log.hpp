// Writes every event of a run as one JSON object per line (events.jsonl),
// streaming, so the log of a long run never sits in memory.
#pragma once

#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <ostream>
#include <string>

namespace outagesim::metrics {

class EventLog : public world::RunObserver {
 public:
  EventLog(const world::World& world, std::ostream& out) : world_(world), out_(out) {}

  void on_event(const world::Event& event, const world::WorldState& state) override;
  void on_sample(double /*t_s*/, const world::WorldState& /*state*/) override {}

  /// The JSON line for one event (without the newline).
  [[nodiscard]] std::string to_json_line(const world::Event& event, const world::WorldState& state) const;

 private:
  const world::World& world_;
  std::ostream& out_;
};

/// Forwards everything to two observers, in order.
class ObserverPair : public world::RunObserver {
 public:
  ObserverPair(world::RunObserver& first, world::RunObserver& second) : first_(first), second_(second) {}
  void on_event(const world::Event& e, const world::WorldState& s) override {
    first_.on_event(e, s);
    second_.on_event(e, s);
  }
  void on_sample(double t, const world::WorldState& s) override {
    first_.on_sample(t, s);
    second_.on_sample(t, s);
  }

 private:
  world::RunObserver& first_;
  world::RunObserver& second_;
};

}  // namespace outagesim::metrics
