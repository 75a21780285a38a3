// Faults that act on instances and services rather than on config: capacity
// loss, load surges, crashes, crash loops, restarts, latency, partitions and
// route withdrawals; and the operator's restart. Every change goes through
// the WorldState (an instance's impairments, a service's surges), from which
// what clients see (up, capacity, latency) is derived, and is reported as an
// event caused by the fault or the operator.
#pragma once

#include "context.hpp"

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
void lift(Context& context, int instance, int fault, int action, const std::string& cause);

/// Takes `instance` out of its load balancer's service (`out`), or puts it
/// back, and reports the change, if what clients see changed. `fault` is the
/// fault behind the removal, for attribution, or -1.
void set_out_of_service(Context& context, int instance, bool out, int fault, const std::string& cause);

/// One restart wave: each of `instances` goes down at a time drawn uniformly
/// in [now, now + jitter_s) from the stream `rng_key` (all at once for a
/// zero jitter: a herd) and comes back `down_s` later. Restarts after `end_s`
/// are not taken and restarts still running at `end_s` finish then. An
/// operator's restart (`fault` < 0) also ends crashes and capacity losses on
/// the instances it restarts, and ends a fault it leaves nothing to hold
/// (FaultEnded). Blocks the calling actor until the last one is up.
struct RestartWave {
  std::vector<int> instances;
  double down_s = default_restart_s;
  double jitter_s = 0;
  std::string rng_key;
  int fault = -1;
  int action = -1;
  std::optional<double> end_s;
  std::string cause;
};
void play_restarts(Context& context, const RestartWave& wave);

/// Plays the instance-level faults. One per run; it owns the partitions' cuts
/// of the SimGrid links, counted so that overlapping partitions compose.
class InstanceFaults {
 public:
  explicit InstanceFaults(Context& context);

  /// Plays fault `f` (any kind but bad_config_push and dns_record_change)
  /// from now to its end, in the calling actor.
  void run(int f);

 private:
  void hold(int f, const std::vector<int>& instances, const world::Impairment& impairment);
  void crash(int f);
  void crash_loop(int f);
  void restart(int f);
  void load_surge(int f);
  void partition(int f);
  void set_load_factor(int service, const std::string& cause);
  void cut(const std::vector<int>& links, bool off);
  [[nodiscard]] std::vector<int> in_regions(const std::vector<int>& regions, const std::string& provider) const;
  [[nodiscard]] std::vector<int> boundary_links(const std::vector<int>& regions) const;

  Context& context_;
  std::vector<int> cuts_;  ///< per platform link: partitions holding it off
};

}  // namespace outagesim::engine
