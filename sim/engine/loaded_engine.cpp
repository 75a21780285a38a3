#include "loaded_engine.hpp"

#include "module_calls.hpp"

#include "sim/modules/load_module.hpp"

namespace outagesim::engine::loaded {
namespace {

const ModuleCalls& calls() {
  static const ModuleCalls& loaded = [] () -> const ModuleCalls& {
    using Entry = const ModuleCalls* (*)();
    const auto entry = reinterpret_cast<Entry>(
        modules::load_module_entry(module_file, module_entry, modules::Visibility::own));
    const ModuleCalls* c = entry();
    if (c->world_size != sizeof(world::World))
      throw modules::ModuleError(std::string(module_file) + " was built from another outagesim; rebuild it");
    return *c;
  }();
  return loaded;
}

}  // namespace

void load() { calls(); }

RunEnd run(const world::World& world, world::RunObserver& observer, const volatile std::sig_atomic_t* stop) {
  return calls().run(world, observer, stop);
}

std::string simgrid_version() { return calls().simgrid_version(); }

}  // namespace outagesim::engine::loaded
