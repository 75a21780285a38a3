#include "load_balancer.hpp"

#include <algorithm>

namespace outagesim::models {

bool TargetHealth::record(bool passed, const HealthThresholds& thresholds) {
  if (passed == healthy_) {
    streak_ = 0;
    return false;
  }
  ++streak_;
  if (streak_ < (healthy_ ? thresholds.unhealthy : thresholds.healthy)) return false;
  healthy_ = !healthy_;
  streak_ = 0;
  return true;
}

double probe_failure_probability(const ProbeView& target, double timeout_s) {
  if (!target.up || target.added_latency_s >= timeout_s) return 1.0;
  // 1 - (1 - e)(1 - h), written so that h = 0 gives e to the last bit: a
  // run without the key draws exactly the probes it drew before the key existed.
  const double e = std::clamp(target.error_rate, 0.0, 1.0);
  const double h = std::clamp(target.health_check_error_rate, 0.0, 1.0);
  return e + (1.0 - e) * h;
}

Routing route(std::span<const RoutedTarget> targets, int zones, double zone_failover_below, bool zone_failover_enabled) {
  Routing out;
  out.in_service.assign(targets.size(), true);
  out.zone_withdrawn.assign(static_cast<std::size_t>(zones), false);
  if (!zone_failover_enabled) zone_failover_below = 0;
  std::vector<int> total(static_cast<std::size_t>(zones), 0), healthy(static_cast<std::size_t>(zones), 0);
  for (const auto& t : targets) {
    ++total[static_cast<std::size_t>(t.zone)];
    healthy[static_cast<std::size_t>(t.zone)] += t.healthy ? 1 : 0;
  }
  for (std::size_t z = 0; z < out.zone_withdrawn.size(); ++z)
    out.zone_withdrawn[z] = total[z] > 0 && static_cast<double>(healthy[z]) < zone_failover_below * total[z];
  bool any = false;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    out.in_service[i] = targets[i].healthy && !out.zone_withdrawn[static_cast<std::size_t>(targets[i].zone)];
    any = any || out.in_service[i];
  }
  if (!any && !targets.empty()) {
    out.failed_open = true;
    out.in_service.assign(targets.size(), true);
    out.zone_withdrawn.assign(out.zone_withdrawn.size(), false);
  }
  return out;
}

}  // namespace outagesim::models
