#include "load_module.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>
#include <vector>

namespace outagesim::modules {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> candidate_paths(const std::string& file_name) {
  std::vector<fs::path> paths;
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    paths.push_back(executable.parent_path() / file_name);
    paths.push_back(executable.parent_path() / OUTAGESIM_MODULE_INSTALL_DIR_FROM_BIN / file_name);
  }
  paths.push_back(fs::path(OUTAGESIM_MODULE_BUILD_DIR) / file_name);
  return paths;
}

}  // namespace

void* load_module_entry(const std::string& file_name, const char* entry, Visibility visibility) {
  // Lazy: the libraries a module brings (ns-3's, through SimGrid) bind their
  // functions on first call, as they did when the executable linked them;
  // binding all of them now cost a quarter more relocations. A module itself
  // is linked with -z now, so a symbol it lacks still fails here, at load.
  const int flags = RTLD_LAZY | (visibility == Visibility::global ? RTLD_GLOBAL : RTLD_LOCAL);
  std::string tried;
  std::string last_error = "not found";
  for (const auto& path : candidate_paths(file_name)) {
    tried += (tried.empty() ? "" : ", ") + path.string();
    std::error_code error;
    if (!fs::exists(path, error)) continue;
    void* handle = ::dlopen(path.c_str(), flags);  // never closed: a module serves the process to its end
    if (handle == nullptr) {
      const char* why = ::dlerror();
      last_error = why != nullptr ? why : "dlopen failed";
      continue;
    }
    if (void* address = ::dlsym(handle, entry)) return address;
    last_error = path.string() + " has no " + entry;
  }
  throw ModuleError("cannot load " + file_name + " (" + last_error + "; looked in " + tried + ")");
}

}  // namespace outagesim::modules
