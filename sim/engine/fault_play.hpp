// What each fault kind does in simulated time. FaultInjector starts one
// actor per fault, sleeps to its time and calls play() with the fault's kind
// (std::visit): one specialization per kind, each in its own file under
// faults/, so a kind without one does not link. Every play() reports FaultInjected,
// changes the world state, and, for a transient fault, undoes its change and
// reports FaultEnded when its duration ends.
#pragma once

#include "context.hpp"

#include <string>
#include <vector>

namespace outagesim::engine {

/// The backbone links partitions hold off, counted so that overlapping
/// partitions compose: a link comes back when the last one heals.
class LinkCuts {
 public:
  explicit LinkCuts(const world::World& world);
  /// Cuts (`off`) or restores each of `links` (indexes into the platform's links).
  void cut(const std::vector<int>& links, bool off);

 private:
  const world::World& world_;
  std::vector<int> cuts_;  ///< per platform link: partitions holding it off
};

/// What one fault's actor plays it with.
struct FaultPlay {
  Context& context;
  LinkCuts& cuts;
  world::FaultIndex f;
  const world::Fault& fault;
  std::string cause;  ///< "fault:<id>"

  // The fault's timeline, which an end_fault action can cut short (Context).
  /// Sleeps until `t_s`; false when the fault was ended early.
  bool sleep_until(double t_s) const { return context.fault_sleep_until(f, t_s); }
  /// Waits out the fault's duration; false when it never ends.
  bool wait_out() const { return context.fault_wait_out(f, fault.duration_s); }
  /// What the fault's end is reported with: `cause`, or the operator's who ended it.
  [[nodiscard]] std::string ending_cause() const { return context.ending_cause(f, cause); }
};

/// What a fault of kind `Kind` does, defined by the kind's own file in
/// faults/ as `template <> void play(const FaultPlay&, const faults::X&)`: a
/// kind without one is an undefined reference to `play<faults::X>` when
/// outagesim links.
template <scenario::faults::Kind Kind>
void play(const FaultPlay& run, const Kind& kind);


}  // namespace outagesim::engine
