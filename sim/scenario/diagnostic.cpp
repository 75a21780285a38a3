#include "diagnostic.hpp"

#include <fmt/format.h>

namespace outagesim::scenario {

std::string Diagnostic::to_string() const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}:{}", line, column);
  std::string text = fmt::format("{}: error: {}", where, message);
  if (!path.empty()) text += fmt::format(" [at {}]", path);
  return text;
}

namespace {
std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const auto& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.to_string();
  }
  return text;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace outagesim::scenario
