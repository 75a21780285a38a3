// The engine as the commands that simulate reach it: loaded from
// outagesim-engine.so on first use, so that a command that never simulates
// never loads SimGrid and ns-3 (sim/modules/load_module.hpp). Same contract
// as simulation.hpp, whose functions these call.
#pragma once

#include "simulation.hpp"

namespace outagesim::engine::loaded {

/// Loads the engine now, if it is not yet: before forking, so that every
/// child inherits it instead of loading it again. Throws
/// modules::ModuleError when the module is missing or of another build.
void load();

/// engine::run, from the module.
RunEnd run(const world::World& world, world::RunObserver& observer, const volatile std::sig_atomic_t* stop = nullptr);

/// engine::simgrid_version, from the module.
std::string simgrid_version();

}  // namespace outagesim::engine::loaded
