// Operators who depend on services (docs/models/operators.md): a team that
// needs a service (internal tools, remote access, a status page) to detect,
// diagnose or act is slowed or blocked while that service fails by the
// model's own availability, until it is healthy again or the team's
// out-of-band path is up. And the condition an action may wait for.
#pragma once

#include "context.hpp"

#include <vector>

namespace outagesim::engine {

class TeamDependencies {
 public:
  TeamDependencies(Context& context, int team);

  /// Spends `work_s` of the team's time in `stage` at the pace its failing
  /// dependencies allow, then returns. The services are checked now and at
  /// every sampling tick, and when an out-of-band path comes up. A stage no
  /// dependency holds just sleeps `work_s`; with `work_s` 0, it waits only
  /// while the stage is blocked.
  void work_through(scenario::OperatorStage stage, double work_s);

 private:
  /// How many times as long the stage takes now: 1 free, the largest
  /// slowdown of the failing dependencies, or infinity when one blocks it.
  /// Reports each dependency's first hold of this stretch of work.
  double slowdown_now(scenario::OperatorStage stage, std::vector<bool>& reported);
  /// The next time the pace may change: the next tick, or an out-of-band path
  /// coming up before it.
  [[nodiscard]] double next_change(double now) const;

  Context& context_;
  const int team_;
  const world::OperatorTeam& spec_;
  /// Per dependency: when it first held the team back (-1: never). Its
  /// out-of-band path is up `out_of_band_s` after, to the end of the run.
  std::vector<double> held_since_;
};

/// The first sampling tick strictly after `now_s`.
double next_tick(const world::World& world, double now_s);

/// Returns once `service`'s availability has been at least `above` for
/// `for_s`, checked now and at every sampling tick (as detection rules are).
void wait_until_healthy(Context& context, int service, double above, double for_s);

}  // namespace outagesim::engine
