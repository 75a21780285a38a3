// What an NLB-style load balancer decides from its health checks, as pure
// rules: when a target turns unhealthy or healthy again (consecutive failed
// or passed checks), which zones it withdraws (a zone whose healthy share of
// targets falls below a minimum is withdrawn whole, healthy targets
// included: AWS's "DNS failover" of target group health), and which targets
// get traffic. The engine's checker draws the probes and drives these rules;
// docs/models/load-balancing.md gives the rules and their sources.
#pragma once

#include <span>
#include <vector>

namespace outagesim::models {

struct HealthThresholds {
  int healthy = 5;    ///< consecutive passed checks to turn healthy (AWS NLB HealthyThresholdCount)
  int unhealthy = 2;  ///< consecutive failed checks to turn unhealthy (AWS NLB UnhealthyThresholdCount)
};

/// One target as the checker sees it. Targets start healthy: the run begins
/// in a steady state, long after registration.
class TargetHealth {
 public:
  /// Counts one check; returns true when the target's health changes.
  bool record(bool passed, const HealthThresholds& thresholds);
  [[nodiscard]] bool healthy() const { return healthy_; }

 private:
  bool healthy_ = true;
  int streak_ = 0;  ///< consecutive checks disagreeing with `healthy_`
};

/// What a probe of one target meets.
struct ProbeView {
  bool up = true;              ///< down (crashed, cut off): no answer at all
  double error_rate = 0;       ///< share of its requests that fail; a probe is one request
  double added_latency_s = 0;  ///< latency beyond the path's
  /// share of the checks alone failing, its requests unaffected (a target
  /// healthy to its clients that its checker cannot reach, as AWS's NLB
  /// checks on 2025-10-20)
  double health_check_error_rate = 0;
};

/// Probability that one probe fails: 1 when the target is down or answers
/// later than `timeout_s`, else 1 - (1 - error rate) * (1 - health-check
/// error rate): a probe passes when it is served like a request and its
/// check does not fail on its own, two independent draws.
double probe_failure_probability(const ProbeView& target, double timeout_s);

/// One target as routing sees it.
struct RoutedTarget {
  int zone = 0;  ///< 0 .. zones-1
  bool healthy = true;
};

struct Routing {
  std::vector<bool> in_service;      ///< per target: gets traffic
  std::vector<bool> zone_withdrawn;  ///< per zone: removed whole
  bool failed_open = false;          ///< nothing would be left: every target gets traffic
};

/// Which targets get traffic. A target does when it is healthy and its zone
/// is not withdrawn; a zone is withdrawn while its healthy share of targets
/// is below `zone_failover_below` (0: never) and `zone_failover_enabled`.
/// When that leaves no target at all the load balancer fails open and sends
/// traffic to every target, as AWS load balancers do. With
/// `zone_failover_enabled` false (an operator turned the automatic DNS
/// failover off, as AWS did on 2025-10-20) no zone is withdrawn; the target
/// checks still decide, since an NLB's cannot be turned off.
Routing route(std::span<const RoutedTarget> targets, int zones, double zone_failover_below, bool zone_failover_enabled);

}  // namespace outagesim::models
