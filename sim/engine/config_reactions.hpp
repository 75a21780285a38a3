// How consumers react to the config versions they load, beyond an error
// rate (docs/models/config-distribution.md): a version may be refused, make
// the process crash on load or after serving a while, cost it capacity or
// add latency. The reaction belongs to the instance, not to one channel: an
// effect may depend on what the instance runs of another channel, and a
// crashed process fetches nothing on any channel until it is back.
//
// A crash is an impairment of the instance carrying the version's fault, so
// the downtime is the push's (attribution follows the version's fault). What
// brings it back is the effect's `after_crash`: `fetch_on_restart` restarts
// it after `down` and loads the newest version it was sent meanwhile (the
// same bad one: it crashes again); `boot_loop` leaves it down until an
// operator's restart or remediation, after which it loads the same way.
#pragma once

#include "context.hpp"

#include <string>
#include <vector>

namespace outagesim::engine {

class ConfigReactions {
 public:
  explicit ConfigReactions(Context& context);

  /// Whether `instance` refuses `version` (an effect with on_load: refuse
  /// applies to it), keeping what it runs.
  [[nodiscard]] bool refuses(int instance, int version) const;

  /// Whether `instance` would fail on `version` through its effects: crash
  /// on it, or serve it with errors under conditions (last known good
  /// consumers refuse such a version too).
  [[nodiscard]] bool fails_on(int instance, int version) const;

  /// `instance` runs a new version of one of its channels: sets the capacity
  /// and latency its versions cost it, and starts a crash if one of them
  /// crashes it (each change caused by the version behind it).
  void loaded(int instance);

  /// Whether the process of `instance` is down after a crash on a version:
  /// it neither applies nor relays what it is sent until it is back.
  [[nodiscard]] bool crashed(int instance) const {
    return crashed_[static_cast<std::size_t>(instance)];
  }

  /// An operator's restart (or remediation) ended the crash of `instance` and
  /// it is back up: it loads the newest version of each channel it was sent.
  void restarted(int instance);

 private:
  /// Reloads every channel of `instance`, then reacts to what it runs, in an
  /// actor of its own (pulling consumers fetch over the network).
  void reload(int instance);
  /// Plays one crash of `instance` on `effect` of `version` of `channel`.
  void crash(int instance, int channel, int version, const world::ConfigEffect& effect, long generation);
  /// Lifts the crashes of `instance` on versions of its channels but
  /// `except` (-1: none): it is back up, or about to crash on `except`'s.
  /// `cause` reports it; empty: the origin of what each channel now runs.
  void clear_crashes(int instance, const std::string& cause, int except);
  /// Sets the impairment that `channel`'s version costs `instance` in capacity and latency.
  void settle(int instance, int channel, int version);

  Context& context_;
  std::vector<bool> crashed_;      ///< per instance
  std::vector<bool> reloading_;    ///< per instance: loads wait for the end of its reload
  std::vector<long> generation_;   ///< per instance: a newer load or a restart replaces a pending crash
  /// Per instance and position in its `consumes`: the capacity factor and
  /// latency its impairment from that channel holds now.
  std::vector<std::vector<std::pair<double, double>>> cost_;
};

}  // namespace outagesim::engine
