// How faults and operators act on instances: impairments added and lifted,
// a load balancer's removals, waves of restarts. Every change goes through
// the WorldState (an instance's impairments), from which what clients see
// (up, capacity, latency) is derived, and is reported as an event caused by
// the fault or the operator. The fault kinds built on these live in faults/.
#pragma once

#include "context.hpp"
#include "fault_play.hpp"

#include <optional>
#include <string>
#include <vector>

namespace outagesim::engine {

/// Time an instance is down while restarting, when nothing says otherwise:
/// an operator's restart (the scenario gives none), and a restart fault
/// without `down`. Half a minute is a typical process restart plus warm-up.
inline constexpr double default_restart_s = 30;

/// Adds `impairment` to instance `instance` and reports the change, if what
/// clients see changed, with `cause`.
void impair(Context& context, int instance, const world::Impairment& impairment, const std::string& cause);

/// Removes the oldest impairment of `instance` made by (`fault`, `action`),
/// if any, and reports the change, if what clients see changed.
void lift(Context& context, int instance, world::FaultIndex fault, world::ActionIndex action, const std::string& cause);

/// Replaces what a version of `channel` imposes on `instance` (its crash
/// when `down`, else its cost in capacity and latency) by `impairment`, or
/// by nothing, in one change, reported if what clients see changed.
void set_config_impairment(Context& context, int instance, int channel, bool down,
                           const std::optional<world::Impairment>& impairment, const std::string& cause);

/// Takes `instance` out of its load balancer's service (`out`), or puts it
/// back, and reports the change, if what clients see changed. `fault` is the
/// fault behind the removal, for attribution, or none.
void set_out_of_service(Context& context, int instance, bool out, world::FaultIndex fault, const std::string& cause);

/// One restart wave: each of `instances` goes down at a time drawn uniformly
/// in [now, now + jitter_s) from the stream `rng_key` (all at once for a
/// zero jitter: a herd) and comes back `down_s` later. Restarts after `end_s`
/// are not taken and restarts still running at `end_s` finish then. An
/// operator's restart (`fault` none) also ends crashes and capacity losses on
/// the instances it restarts, and ends a fault it leaves nothing to hold
/// (FaultEnded); a consumer that crashed on a config version comes back
/// and loads the newest version it was sent (ConfigReactions::restarted).
/// Blocks the calling actor until the last one is up.
struct RestartWave {
  std::vector<int> instances{};
  double down_s = default_restart_s;
  double jitter_s = 0;
  std::string rng_key{};
  /// When given, each instance's restart time, in `instances` order, instead
  /// of times drawn over `jitter_s` (a remediation's pace).
  std::vector<double> at_s{};
  world::FaultIndex fault = world::FaultIndex::none;
  world::ActionIndex action = world::ActionIndex::none;
  std::optional<double> end_s{};
  std::string cause{};
};
void play_restarts(Context& context, const RestartWave& wave);

/// The plain timeline of an instance fault: each of `instances` takes
/// `impairment` now, reported as the fault's injection, and drops it when the
/// fault's duration ends (never, without one) or an operator ends it, which
/// ends the fault.
void hold(const FaultPlay& run, const std::vector<int>& instances, const world::Impairment& impairment);

/// Instances in `regions` (every region when empty), of `provider`'s
/// services only when a provider is given.
std::vector<int> instances_in_regions(const world::World& world, const std::vector<int>& regions,
                                      const std::string& provider);

}  // namespace outagesim::engine
