// Where each value of a scenario came from, so that checks made after the YAML
// is gone (references, ranges, cycles) still point at file:line:column.
#pragma once

#include "diagnostic.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>

namespace outagesim::scenario {

class SourceMap {
 public:
  explicit SourceMap(std::string file) : file_(std::move(file)) {}

  /// Records that the value at `path` starts at 1-based line:column.
  void record(const std::string& path, int line, int column) { positions_[path] = {line, column}; }
  /// Marks `path` (and everything below it) as set by a `--set` override.
  void mark_overridden(const std::string& path) { overridden_.insert(path); }
  /// `path` was reported while composing (e.g. an unknown ${param} in it); later
  /// stages skip their own complaints about it.
  void mark_reported(const std::string& path) { reported_.insert(path); }
  [[nodiscard]] bool reported(const std::string& path) const { return reported_.contains(path); }
  /// Values at `path` and below come from `file` (a template), not the scenario.
  void set_file(const std::string& path, std::string file) { files_[path] = std::move(file); }

  /// Whether the scenario wrote a value at exactly `path` (not a default).
  [[nodiscard]] bool has(const std::string& path) const {
    return positions_.contains(path) || overridden_.contains(path);
  }
  /// A diagnostic at `path`, located at the nearest recorded ancestor.
  [[nodiscard]] Diagnostic at(const std::string& path, std::string message) const;
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::map<std::string, std::pair<int, int>> positions_;
  std::set<std::string> overridden_;
  std::set<std::string> reported_;
  std::map<std::string, std::string> files_;
};

}  // namespace outagesim::scenario
