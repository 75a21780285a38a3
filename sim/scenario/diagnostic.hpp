// Bad input is data, not a crash: every problem found while loading a scenario
// becomes a Diagnostic naming where it is and what was expected, and the loader
// collects all of them before giving up.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace outagesim::scenario {

struct Diagnostic {
  std::string file;     ///< scenario file, or "--set" for command-line overrides
  int line = 0;         ///< 1-based; 0 when unknown
  int column = 0;       ///< 1-based; 0 when unknown
  std::string path;     ///< YAML path, e.g. "providers[0].services[1].capacity"
  std::string message;  ///< what is wrong and what was expected

  /// "file:line:column: error: message [at path]", the format editors jump to.
  [[nodiscard]] std::string to_string() const;
  bool operator==(const Diagnostic&) const = default;
};

/// Thrown by scenario::load when the scenario has at least one problem.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace outagesim::scenario
