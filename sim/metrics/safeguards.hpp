// The safeguards a scenario declares, and when the run set each one off:
// DNS failover (a health-checked record with a secondary), a load
// balancer's failover (targets taken out on failed checks) and zone
// failover, a rollout's health gate, and an operator team's detection.
// A failover that never triggered is worth saying: the scenario counted on
// it (the run summary and `validate` print it; docs/outputs.md).
#pragma once

#include "run_result.hpp"
#include "sim/world/events.hpp"
#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::metrics {

/// Every safeguard `world` declares, none triggered yet, in the order:
/// records, load balancers (target, then zone failover), channels' health
/// gates, operator teams.
std::vector<SafeguardOutcome> declared_safeguards(const world::World& world);

/// The position in `declared_safeguards(world)` of the safeguard `event`
/// shows triggering, or none.
std::optional<std::size_t> triggered_by(const world::World& world, const std::vector<SafeguardOutcome>& safeguards,
                                        const world::EventWhat& event);

/// "DNS failover", "zone failover", "health gate"...: how the summaries name a kind.
const char* safeguard_kind_text(SafeguardKind kind);

/// "dns_failover", "zone_failover", "health_gate"...: the kind in summary.json.
const char* safeguard_kind_name(SafeguardKind kind);

/// "never triggered", "triggered at 11:20:00Z (+20m00s)" or "triggered 3 times, first at ...".
std::string safeguard_triggers_text(double start_epoch_s, const SafeguardOutcome& s);

/// The key of a safeguard in summary.json's `metrics.safeguards`: "dns_failover dns.www".
std::string safeguard_key(const SafeguardOutcome& s);

/// Follows the safeguards alone through a run, without sampling anything:
/// what `validate` runs to say which would trigger and when.
class SafeguardLog : public world::RunObserver {
 public:
  explicit SafeguardLog(const world::World& world) : world_(world), safeguards_(declared_safeguards(world)) {}
  void on_event(const world::Event& event, const world::WorldState& state) override;
  void on_sample(double, const world::WorldState&) override {}
  [[nodiscard]] const std::vector<SafeguardOutcome>& safeguards() const { return safeguards_; }

 private:
  const world::World& world_;
  std::vector<SafeguardOutcome> safeguards_;
};

}  // namespace outagesim::metrics
