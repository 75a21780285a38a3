#include "run_origin.hpp"

#include "atomic_file.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace outagesim::metrics {
namespace fs = std::filesystem;

std::optional<RunOrigin> recorded_origin(const fs::path& dir) {
  const fs::path file = dir / "manifest.json";
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto not_ours = [&](const std::string& why) {
    return OutputError(dir, "it holds a manifest.json that outagesim did not write (" + why +
                                "); choose another --out, or pass --force to write into it anyway");
  };
  if (!in && !in.eof()) throw not_ours("unreadable");
  const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw not_ours("not a JSON object");
  try {
    RunOrigin origin;
    origin.scenario_file = j.at("scenario_file").get<std::string>();
    origin.overrides = j.at("overrides").get<std::vector<std::string>>();
    origin.command_line = j.value("command_line", std::vector<std::string>{});
    return origin;
  } catch (const nlohmann::json::exception&) {
    throw not_ours("no scenario_file or overrides");
  }
}

std::string shell_line(const std::vector<std::string>& arguments) {
  std::string line;
  for (const auto& a : arguments) {
    if (!line.empty()) line += ' ';
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?[]{}();&|<>!#~") == std::string::npos;
    if (plain) {
      line += a;
      continue;
    }
    line += '\'';
    for (char c : a) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace outagesim::metrics
