// A load surge limited to client regions (`regions:` on a load_surge): only
// the users there send more. The service's `load_factor` holds the surges on
// everyone; these give what the regional ones add, per client region for the
// routing of users, and as a whole for the service's queue.
#pragma once

#include "state.hpp"
#include "world.hpp"

#include <cstddef>

namespace outagesim::world {

/// What the regional surges on `service` multiply client region `client`'s
/// load by (1 when none covers it).
double regional_surge_factor(const World& world, const WorldState& state, int service, std::size_t client);

/// What they multiply the service's whole offered load by: the mean of
/// regional_surge_factor over the client regions, weighted by their users
/// and their local time of day (the load each sends now). 1 without any.
double regional_surge_mean(const World& world, const WorldState& state, int service);

}  // namespace outagesim::world
