// The engine stage: plays a world forward in SimGrid's simulated time. The
// only place in outagesim that includes SimGrid.
#pragma once

#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <string>

namespace outagesim::engine {

/// Runs one simulation of `world` from 0 to its duration, reporting every
/// state change and every sampling tick to `observer`.
/// SimGrid allows one engine per process and it cannot be re-created: call
/// this at most once per process (tests that run the engine fork or use the CLI).
void run(const world::World& world, world::RunObserver& observer);

/// "3.32.0": the SimGrid library this binary runs on.
std::string simgrid_version();

}  // namespace outagesim::engine
