// The systemic-risk map's cases (`outagesim risk`, docs/risk.md): every
// component of a scenario that can fail (provider, DNS provider, service,
// region, config channel), each with the fault templates that apply to it,
// written as the scenario's `faults:` list for one run.
#pragma once

#include "sim/world/world.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace outagesim::experiment {

/// The fault templates (docs/risk.md, "Fault templates").
enum class FaultTemplate {
  outage,    ///< a provider, DNS provider or service: every instance down
  bad_push,  ///< a config channel: a version every variant fails on, published through its own rollout
  regional,  ///< a region: cut off from the rest (a partition)
};

std::string_view template_name(FaultTemplate t);
/// "outage", "bad_push", "regional"; false for another name.
bool parse_template(std::string_view name, FaultTemplate& out);

/// When the templates' faults fire and how long they last: at `at_s` after
/// the start, for `for_s` (default: 10 minutes and 30 minutes, shortened to
/// a sixth and a half of a shorter run).
struct FaultTiming {
  double at_s = 0;
  double for_s = 0;
};
FaultTiming default_timing(double duration_s);

/// The fault id every case's fault carries, so that the runs' metrics have
/// one path (`faults/risk/...`).
inline constexpr std::string_view risk_fault_id = "risk";

struct RiskCase {
  std::string kind;       ///< provider, dns_provider, service, region, channel
  std::string component;  ///< its name: provider, provider.service, region, provider.channel
  FaultTemplate fault_template = FaultTemplate::outage;
  std::string faults;     ///< the scenario's `faults:` for the run, a YAML flow sequence
  std::vector<int> services;  ///< the services the failure hits (for the indirect share)
};

/// Every case of `world` (built from `scenario`) for the templates asked
/// for, in a fixed order: providers and DNS providers in scenario order,
/// their services, regions in first-use order, channels.
std::vector<RiskCase> risk_cases(const scenario::Scenario& scenario, const world::World& world,
                                 const std::vector<FaultTemplate>& templates, const FaultTiming& timing);

/// The share, by request rate, of the sites exposed to a failure of
/// `services` (their dependency closure holds one of them) that reach it only
/// through another service's dependencies (a provider's providers), from the
/// scenario's dependency graph; none when no site is exposed.
std::optional<double> indirect_exposure_share(const world::World& world, const std::vector<int>& services);

/// The request rate of the sites exposed to a failure of `services`.
double exposed_rps(const world::World& world, const std::vector<int>& services);

}  // namespace outagesim::experiment
