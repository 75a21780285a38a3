// What every part of a running simulation shares: the world, its mutable
// state, the observer, the SimGrid hosts, and the channels (so that faults
// and operators can push through them). Passed by reference; no globals.
#pragma once

#include "sim/world/availability.hpp"
#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>

namespace outagesim::engine {

class ConfigChannel;
class ConfigReactions;
class Dns;
class LoadBalancers;

/// Starts an actor that ends with the run instead of keeping it alive. It
/// marks itself a daemon as its first act: daemonizing from the outside races
/// with an actor that finishes at once (SimGrid 3.32 then counts it twice and
/// ends the whole run early).
template <class Code>
void spawn_daemon(const std::string& name, simgrid::s4u::Host* host, Code code) {
  simgrid::s4u::Actor::create(name, host, [code = std::move(code)]() mutable {
    simgrid::s4u::Actor::self()->daemonize();
    code();
  });
}

class Context {
 public:
  /// Out of line, where ConfigChannel is complete.
  Context(const world::World& world, world::WorldState& state, world::RunObserver& observer);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  [[nodiscard]] const world::World& world() const { return world_; }
  [[nodiscard]] world::WorldState& state() { return state_; }
  [[nodiscard]] const world::WorldState& state() const { return state_; }
  [[nodiscard]] double now() const { return simgrid::s4u::Engine::get_clock(); }

  /// Reports a state change that just happened, at the current simulated time.
  template <class What>
  void emit(What what, std::string cause) {
    state_.now_s = now();
    const world::Event event{now(), std::move(what), std::move(cause)};
    observer_.on_event(event, state_);
    changed(event.cause);
  }
  void sample(double t_s);

  /// Reports that `fault` ended (FaultEnded with `cause`), once: a fault an
  /// operator ended early reports nothing when its own timeline runs out.
  void end_fault(world::FaultIndex fault, const std::string& cause);

  // Ending a fault early (the action end_fault). A fault's actor waits
  // through these instead of sleeping, so that the action can cut the wait
  // short; the actor then undoes what the fault holds, as when its duration
  // ends. For a fault no action names they are plain sleeps.

  /// Fault `fault` is under way (its actor reached its time).
  void fault_began(world::FaultIndex fault);
  /// Ends `fault` at an operator's request if it is under way and not over:
  /// wakes its actor. Returns whether it did.
  bool end_fault_early(world::FaultIndex fault, const std::string& cause);
  /// Sleeps until `t_s`; returns false, at once from then on, when `fault`
  /// was ended early.
  bool fault_sleep_until(world::FaultIndex fault, double t_s);
  /// Waits `duration_s` from now or, without one, until `fault` is ended
  /// early. Returns whether the fault ends now: false only when it has no
  /// duration and no action can end it.
  bool fault_wait_out(world::FaultIndex fault, std::optional<double> duration_s);
  /// The cause to report the end of `fault` with: the operator's when one
  /// ended it early, else `own`.
  [[nodiscard]] std::string ending_cause(world::FaultIndex fault, const std::string& own) const;

  /// The availability of everything, as the metrics see it.
  [[nodiscard]] world::Availability availability() const {
    state_.now_s = now();
    return world::evaluate(world_, state_);
  }

  void set_hosts(std::map<std::string, simgrid::s4u::Host*, std::less<>> hosts) { hosts_ = std::move(hosts); }
  [[nodiscard]] simgrid::s4u::Host* host(const std::string& name) const { return hosts_.at(name); }

  void add_channel(std::unique_ptr<ConfigChannel> channel);
  [[nodiscard]] ConfigChannel& channel(int index) { return *channels_[static_cast<std::size_t>(index)]; }

  void set_config_reactions(ConfigReactions* reactions) { config_reactions_ = reactions; }
  [[nodiscard]] ConfigReactions& config_reactions() { return *config_reactions_; }

  void set_dns(Dns* dns) { dns_ = dns; }
  [[nodiscard]] Dns& dns() { return *dns_; }

  void set_load_balancers(LoadBalancers* load_balancers) { load_balancers_ = load_balancers; }
  [[nodiscard]] LoadBalancers& load_balancers() { return *load_balancers_; }

 private:
  /// Lets what depends on the whole state (DNS reachability) follow a change.
  void changed(const std::string& cause);

  const world::World& world_;
  world::WorldState& state_;
  world::RunObserver& observer_;
  std::map<std::string, simgrid::s4u::Host*, std::less<>> hosts_;
  std::vector<std::unique_ptr<ConfigChannel>> channels_;
  ConfigReactions* config_reactions_ = nullptr;
  Dns* dns_ = nullptr;
  LoadBalancers* load_balancers_ = nullptr;
  std::vector<bool> fault_ended_;  ///< per fault: FaultEnded reported
  std::vector<bool> endable_;      ///< per fault: an end_fault action names it
  std::vector<bool> began_;        ///< per fault: under way
  std::vector<std::string> ended_early_by_;  ///< per fault: the operator's cause, once ended early
  std::vector<simgrid::s4u::SemaphorePtr> wake_;  ///< per endable fault under way: released to end it early
};

}  // namespace outagesim::engine
