// What a client region's users can reach, and how much of the traffic each
// region sends, for the resolver caches kept per client region
// (docs/models/dns.md, "One cache population per client region").
#pragma once

#include "state.hpp"
#include "world.hpp"

#include <vector>

namespace outagesim::world {

/// Whether an active `partition` puts platform regions `a` and `b` on
/// opposite sides (its backbone links between them are off).
bool separated(const World& world, const WorldState& state, int a, int b);

/// Whether the users of client region `client` reach at least one instance
/// of `service` that is up: one on their side of every active partition.
/// Instances inside a partition are down for clients, so users inside one
/// reach no instance at all. An active dns_unreachable fault on the
/// service's provider that lists the region leaves them none either.
bool reaches(const World& world, const WorldState& state, int client, int service);

/// What cuts client region `client` off from `service`, or -1: the oldest
/// active partition that puts the region and an instance of the service on
/// opposite sides, else the oldest active dns_unreachable fault on the
/// service's provider that lists the region.
int cutting_fault(const World& world, const WorldState& state, int client, int service);

/// Each client region's share of the requests at `t_s` (seconds from the
/// start): its users at their own time of day. Empty without client regions.
std::vector<double> request_shares(const World& world, double t_s);

}  // namespace outagesim::world
