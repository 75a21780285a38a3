// Turns world::Platform (plain data) into SimGrid hosts, routers and links.
#pragma once

#include "sim/world/platform.hpp"
#include "sim/world/world.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <simgrid/s4u/Host.hpp>

namespace outagesim::engine {

/// A sending host and a receiving host.
using TransferPair = std::pair<std::string, std::string>;

/// Every (sender, receiver) pair a run of `world` can transfer config
/// between, when it is known before the run: each channel's publisher to
/// each of its consumers. None when a channel relays along a tree, whose
/// consumer-to-consumer order is drawn during the run.
std::optional<std::vector<TransferPair>> transfer_pairs(const world::World& world);

/// Creates the platform in the current SimGrid engine and seals it.
/// Returns every host by name. A host's route to another region is its
/// access link, the backbone link between the regions, the other host's
/// access link (shortest paths; within a region, the two access links).
/// With `pairs` (and at most 1,024 hosts) only those routes exist, looked
/// up in a table; without, any host reaches any other, by Dijkstra.
std::map<std::string, simgrid::s4u::Host*, std::less<>> build_platform(
    const world::Platform& platform, const std::optional<std::vector<TransferPair>>& pairs = std::nullopt);

}  // namespace outagesim::engine
