// Which of a config version's effects apply to a consumer, given what else
// it runs: an effect names a variant of the consuming service and may
// require versions of other channels the same instance consumes
// (docs/models/config-distribution.md). Shared by the engine, which acts on
// crashes, refusals, capacity and latency, and by everything that reads a
// consumer's error rate.
#pragma once

#include "state.hpp"
#include "world.hpp"

#include <vector>

namespace outagesim::world {

/// Whether `effect`, carried by a version of some channel, applies to
/// `instance` as it runs now: its variant is the instance's, and every
/// condition holds on the versions the instance runs.
bool applies(const World& world, const WorldState& state, int instance, const ConfigEffect& effect);

/// The effects of `version` that apply to `instance` as it runs now.
std::vector<const ConfigEffect*> applying_effects(const World& world, const WorldState& state, int instance,
                                                  int version);

/// Share of `instance`'s requests failing because of the version of `channel`
/// it runs (at position `k` among the channel's consumers): its plain error
/// rate by variant, plus the serve effects whose conditions hold.
double config_error_rate(const World& world, const WorldState& state, int channel, int k);

/// The same within traffic segment `segment` of the consuming service.
double config_segment_error_rate(const World& world, const WorldState& state, int channel, int k, int segment);

/// Share of the load balancer's health checks of `instance` failing because
/// of the config versions it runs: the serve effects with a
/// `health_check_error_rate` that apply to it, combined as independent
/// failures. Its requests are not affected (that is `config_error_rate`).
double config_health_check_error_rate(const World& world, const WorldState& state, int instance);

/// The fault whose version makes `instance`'s health checks fail, or -1.
int fault_failing_health_checks(const World& world, const WorldState& state, int instance);

}  // namespace outagesim::world
