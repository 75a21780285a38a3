// What outagesim-engine.so, the engine built as a module, gives the program
// that loads it (sim/modules/load_module.hpp): the two functions of
// simulation.hpp, behind one C entry point. Both sides are built from one
// tree; a module of another build is refused by its stamp.
#pragma once

#include "simulation.hpp"

#include <cstddef>

namespace outagesim::engine {

struct ModuleCalls {
  /// sizeof(world::World) as the module was built: a module from another
  /// build, whose World may differ, is refused rather than misread.
  std::size_t world_size;
  RunEnd (*run)(const world::World& world, world::RunObserver& observer, const volatile std::sig_atomic_t* stop);
  std::string (*simgrid_version)();
};

inline constexpr const char* module_file = "outagesim-engine.so";
inline constexpr const char* module_entry = "outagesim_engine_module_calls";

}  // namespace outagesim::engine
