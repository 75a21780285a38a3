#include "source_map.hpp"

namespace outagesim::scenario {
namespace {

/// "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
std::string parent_path(const std::string& path) {
  auto cut = path.find_last_of(".[");
  return cut == std::string::npos ? std::string{} : path.substr(0, cut);
}

}  // namespace

Diagnostic SourceMap::at(const std::string& path, std::string message) const {
  auto file_of = [&](const std::string& located) {
    for (std::string p = located;; p = parent_path(p)) {
      if (auto it = files_.find(p); it != files_.end()) return it->second;
      if (p.empty()) return file_;
    }
  };
  // Under an override, positions were recorded in the --set value's own text.
  for (std::string p = path;; p = parent_path(p)) {
    if (overridden_.contains(p)) return Diagnostic{"--set", 0, 0, path, std::move(message)};
    if (p.empty()) break;
  }
  for (std::string p = path;; p = parent_path(p)) {
    if (auto it = positions_.find(p); it != positions_.end())
      return Diagnostic{file_of(p), it->second.first, it->second.second, path, std::move(message)};
    if (p.empty()) break;
  }
  return Diagnostic{file_, 0, 0, path, std::move(message)};
}

}  // namespace outagesim::scenario
