// The entry point of outagesim-engine.so (module_calls.hpp). Its version
// script exports this symbol alone.
#include "module_calls.hpp"

extern "C" const outagesim::engine::ModuleCalls* outagesim_engine_module_calls() {
  static const outagesim::engine::ModuleCalls calls{sizeof(outagesim::world::World), &outagesim::engine::run,
                                                    &outagesim::engine::simgrid_version};
  return &calls;
}
