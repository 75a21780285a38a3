// Turns world::Platform (plain data) into SimGrid hosts, routers and links.
#pragma once

#include "sim/world/platform.hpp"

#include <map>
#include <string>

#include <simgrid/s4u/Host.hpp>

namespace outagesim::engine {

/// Creates the platform in the current SimGrid engine and seals it.
/// Returns every host by name. Routing is shortest path over the edges, so
/// a host's route to another region is access link, backbone link, access link.
std::map<std::string, simgrid::s4u::Host*, std::less<>> build_platform(const world::Platform& platform);

}  // namespace outagesim::engine
