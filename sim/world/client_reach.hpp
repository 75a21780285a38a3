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
/// reach no instance at all.
bool reaches(const World& world, const WorldState& state, int client, int service);

/// The oldest active partition that puts client region `client` and an
/// instance of `service` on opposite sides, or -1: what cuts the region off.
int cutting_partition(const World& world, const WorldState& state, int client, int service);

/// Each client region's share of the requests at `t_s` (seconds from the
/// start): its users at their own time of day. Empty without client regions.
std::vector<double> request_shares(const World& world, double t_s);

}  // namespace outagesim::world
