// The engine stage: plays a world forward in SimGrid's simulated time. The
// only place in outagesim that includes SimGrid.
#pragma once

#include "sim/world/observer.hpp"
#include "sim/world/world.hpp"

#include <csignal>
#include <string>

namespace outagesim::engine {

/// How a run ended.
struct RunEnd {
  bool interrupted = false;  ///< `stop` ended it before its duration
  double reached_s = 0;      ///< the duration, or the last sample taken before `stop` ended the run
};

/// Runs one simulation of `world` from 0 to its duration, reporting every
/// state change and every sampling tick to `observer`.
/// `stop`, when given, is read at every sample (a signal handler may set it):
/// once non-zero, the run ends cleanly after that sample, every actor with it.
/// SimGrid allows one engine per process and it cannot be re-created: call
/// this at most once per process (tests that run the engine fork or use the CLI).
RunEnd run(const world::World& world, world::RunObserver& observer, const volatile std::sig_atomic_t* stop = nullptr);

/// "3.32.0": the SimGrid library this binary runs on.
std::string simgrid_version();

}  // namespace outagesim::engine
