// Load balancers at run time: one health checker per service with a
// `load_balancer`, probing each of its instances every interval. A probe
// fails with a probability from the instance's own state (down, too slow,
// its error rate, a config version failing its checks alone), drawn from a
// stream of its own, so flapping health is an
// outcome of the state, not a script. The decisions (thresholds, zone
// withdrawal, failing open, what disable_failover turns off) are
// models/load_balancer's; this file draws the
// probes, applies the decisions to the WorldState as impairments that take
// instances out of service, and reports every change as an event.
#pragma once

#include "context.hpp"
#include "models/load_balancer.hpp"

#include <string>
#include <vector>

namespace outagesim::engine {

class LoadBalancers {
 public:
  explicit LoadBalancers(Context& context);

  /// Spawns one health checker per load balancer. Call before the run.
  void start();

  /// disable_failover or enable_failover (`enable`) naming a service, inside the operator's actor:
  /// turns the zone (DNS) failover off or on; the target checks go on deciding either way.
  void set_failover(int action, bool enable);

 private:
  struct Balancer {
    int service = -1;
    std::vector<int> targets;          ///< instance indices, in the service's order
    std::vector<int> zone_of;          ///< per target: index into `zones`
    std::vector<int> zones;            ///< platform region of each zone, first-use order
    std::vector<models::TargetHealth> health;
    models::Routing routing;           ///< what the balancer does now
    bool zone_failover_enabled = true;  ///< off: no zone withdrawn (disable_failover)
  };

  void check(Balancer& lb);
  /// Routes by the current health and applies the difference, reporting it with `cause`.
  void reroute(Balancer& lb, const std::string& cause);
  /// The probe's view of an instance: its own state, without the balancer's removal.
  [[nodiscard]] models::ProbeView probe_view(int instance) const;
  /// The fault behind an instance's failing probes, or -1.
  [[nodiscard]] int fault_behind(int instance) const;
  [[nodiscard]] int in_service(const Balancer& lb) const;
  [[nodiscard]] std::string cause_of(const Balancer& lb) const;

  Context& context_;
  std::vector<Balancer> balancers_;
};

}  // namespace outagesim::engine
