// Parts of outagesim that only some commands need are shared modules loaded
// at run time, not libraries every start loads: the SimGrid engine
// (outagesim-engine.so, which brings ns-3 with Debian's SimGrid) for the
// commands that simulate, and Open MPI (outagesim-mpi.so) for `--mpi`.
// `outagesim --version` or `validate --no-simulate` then map a dozen shared
// objects instead of 41 (bench/README.md, "Start-up").
//
// A module is looked for next to the running executable (the build tree),
// then in the installed library directory, lib/outagesim beside bin/, then
// in this build's own module directory (for test executables that live
// elsewhere in the build tree).
#pragma once

#include <stdexcept>
#include <string>

namespace outagesim::modules {

/// A module that cannot be found or loaded, or that another build made.
class ModuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// How a module's symbols are seen by what loads later.
enum class Visibility {
  own,     ///< RTLD_LOCAL: its libraries serve it alone (SimGrid, whose SMPI defines MPI_* too)
  global,  ///< RTLD_GLOBAL: Open MPI's own plug-ins look its symbols up in the global scope
};

/// Loads `file_name` (loading it again returns the loaded one) and returns
/// the address of its C entry point `entry`. Throws ModuleError saying which
/// paths were tried and why the last one failed.
void* load_module_entry(const std::string& file_name, const char* entry, Visibility visibility);

}  // namespace outagesim::modules
