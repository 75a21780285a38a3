// Where a region named in a scenario is, and how far apart two regions are
// on the backbone: the distance model of docs/models/platform.md, or the
// scenario's own `network.latencies` where it gives one. Shared by the
// platform (backbone links) and the routing of client regions, so that both
// see the same latencies.
#pragma once

#include "platform.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>

namespace outagesim::world {

/// The region `name` with its coordinates: declared under `regions:`, else
/// well known. Throws std::logic_error for a name validation should have refused.
Region locate_region(const scenario::Scenario& scenario, const std::string& name);

/// One-way backbone latency between two regions, in seconds: the scenario's
/// override for the pair, else the distance model; 0 from a region to itself.
double region_latency_s(const scenario::Scenario& scenario, const Region& a, const Region& b);

}  // namespace outagesim::world
