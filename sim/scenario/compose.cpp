#include "compose.hpp"

#include "document_limits.hpp"
#include "input_file.hpp"
#include "suggest.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

namespace fs = std::filesystem;

std::string item_name(const YAML::Node& item) {
  if (item.IsMap() && item["name"] && item["name"].IsScalar()) return item["name"].Scalar();
  return {};
}

/// Records that everything under `path` came from `file`.
void from_template(const std::string& path, const std::string& file, SourceMap& sources) { sources.set_file(path, file); }

/// `over` merged onto a copy of `base`: mappings key by key, lists of named
/// mappings by name, anything else replaced by `over`.
YAML::Node merge(const YAML::Node& base, const YAML::Node& over, const std::string& path, const std::string& file,
                 SourceMap& sources) {
  if (base.IsMap() && over.IsMap()) {
    YAML::Node result(YAML::NodeType::Map);
    for (const auto& pair : over) result[pair.first.Scalar()] = pair.second;
    for (const auto& pair : base) {
      const std::string key = pair.first.Scalar();
      const std::string child = path.empty() ? key : path + "." + key;
      if (!over[key]) {
        result[key] = pair.second;
        from_template(child, file, sources);
      } else {
        result[key] = merge(pair.second, over[key], child, file, sources);
      }
    }
    return result;
  }
  if (base.IsSequence() && over.IsSequence()) {
    bool named = true;
    for (const auto& item : base) named = named && !item_name(item).empty();
    for (const auto& item : over) named = named && !item_name(item).empty();
    if (!named) return over;
    YAML::Node result(YAML::NodeType::Sequence);
    std::vector<bool> used(over.size(), false);
    for (const auto& item : base) {
      const std::size_t index = result.size();
      const std::string child = fmt::format("{}[{}]", path, index);
      bool overridden = false;
      for (std::size_t k = 0; k < over.size(); ++k) {
        if (!used[k] && item_name(over[k]) == item_name(item)) {
          result.push_back(merge(item, over[k], child, file, sources));
          used[k] = overridden = true;
          break;
        }
      }
      if (!overridden) {
        result.push_back(item);
        from_template(child, file, sources);
      }
    }
    for (std::size_t k = 0; k < over.size(); ++k)
      if (!used[k]) result.push_back(over[k]);
    return result;
  }
  return over;
}

/// Longest template name: file systems take 255 bytes per name, ".yaml" included.
constexpr std::size_t max_template_name = 200;

/// A template name is a plain file name: it cannot climb out of providers/.
bool is_template_name(const std::string& name) {
  return !name.empty() && name.size() <= max_template_name && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}

std::optional<fs::path> find_template(const std::string& name, const std::string& scenario_file) {
  std::error_code error;
  fs::path dir = fs::absolute(fs::path(scenario_file), error).parent_path();
  if (error) return std::nullopt;
  for (;;) {
    fs::path candidate = dir / "providers" / (name + ".yaml");
    if (fs::is_regular_file(candidate, error)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace

std::vector<std::string> apply_templates(YAML::Node root, const std::string& scenario_file, SourceMap& sources,
                                         std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> texts;
  YAML::Node providers = root["providers"];
  if (!providers || !providers.IsSequence()) return texts;
  for (std::size_t i = 0; i < providers.size(); ++i) {
    YAML::Node entry = providers[i];
    if (!entry.IsMap() || !entry["use"]) continue;
    const std::string path = fmt::format("providers[{}]", i);
    const YAML::Node use = entry["use"];
    sources.record(path + ".use", use.Mark().line + 1, use.Mark().column + 1);
    const std::string name = use.IsScalar() ? use.Scalar() : std::string{};
    if (!is_template_name(name)) {
      diagnostics.push_back(sources.at(
          path + ".use", fmt::format("expected the name of a template in a providers/ folder: up to {} letters, "
                                     "digits, '-', '_' and '.', not starting with '.'",
                                     max_template_name)));
      continue;
    }
    auto file = find_template(name, scenario_file);
    if (!file) {
      diagnostics.push_back(sources.at(
          path + ".use", fmt::format("no template '{}': looked for providers/{}.yaml next to the scenario and in "
                                     "every folder above it",
                                     name, name)));
      continue;
    }
    std::string text;
    try {
      text = read_input_file(file->string(), "template");
      check_document(text, file->string());
    } catch (const ScenarioError& e) {
      diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
      continue;
    }
    texts.push_back(text);
    YAML::Node base;
    try {
      base = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      diagnostics.push_back(Diagnostic{file->string(), e.mark.line + 1, e.mark.column + 1, "",
                                       fmt::format("invalid YAML: {}", e.msg)});
      continue;
    }
    if (!base.IsMap()) {
      diagnostics.push_back(Diagnostic{file->string(), 1, 1, "", "a provider template must be a mapping"});
      continue;
    }
    if (base["use"]) {
      diagnostics.push_back(Diagnostic{file->string(), base["use"].Mark().line + 1, base["use"].Mark().column + 1, "",
                                       "templates cannot themselves use templates"});
      continue;
    }
    providers[i] = merge(base, entry, path, file->string(), sources);
  }
  return texts;
}

std::vector<std::pair<std::string, std::string>> apply_params(YAML::Node root, SourceMap& sources,
                                                              std::vector<Diagnostic>& diagnostics) {
  std::vector<std::pair<std::string, std::string>> params;
  YAML::Node declared = root["params"];
  if (declared) {
    if (!declared.IsMap()) {
      diagnostics.push_back(Diagnostic{sources.file(), declared.Mark().line + 1, declared.Mark().column + 1, "params",
                                       "expected a mapping of parameter names to values"});
      return params;
    }
    for (const auto& pair : declared) {
      const std::string name = pair.first.Scalar();
      if (!pair.second.IsScalar()) {
        diagnostics.push_back(Diagnostic{sources.file(), pair.second.Mark().line + 1, pair.second.Mark().column + 1,
                                         "params." + name, "a parameter's value must be a single value"});
        continue;
      }
      params.emplace_back(name, pair.second.Scalar());
    }
  }
  std::vector<std::string> names;
  for (const auto& [name, value] : params) names.push_back(name);

  auto substitute = [&](YAML::Node scalar, const std::string& path) {
    auto report = [&](std::string message) {
      diagnostics.push_back(
          Diagnostic{sources.file(), scalar.Mark().line + 1, scalar.Mark().column + 1, path, std::move(message)});
      sources.mark_reported(path);
    };
    const std::string text = scalar.Scalar();
    if (text.find("${") == std::string::npos) return;
    std::string out;
    std::size_t at = 0;
    while (at < text.size()) {
      auto open = text.find("${", at);
      if (open == std::string::npos) {
        out += text.substr(at);
        break;
      }
      auto close = text.find('}', open);
      if (close == std::string::npos) {
        return report(fmt::format("unterminated parameter reference in '{}'", text));
      }
      const std::string name = text.substr(open + 2, close - open - 2);
      auto found = std::find(names.begin(), names.end(), name);
      if (found == names.end()) {
        return report(fmt::format("unknown parameter '{}'{}", name, did_you_mean(name, names)));
      }
      out += text.substr(at, open - at) + params[static_cast<std::size_t>(found - names.begin())].second;
      at = close + 1;
    }
    scalar = out;  // assigns in place: the node keeps its position for diagnostics
  };
  // Aliases let a small file name one subtree many times; bound the walk.
  constexpr std::size_t max_nodes = 5'000'000;
  std::size_t visited = 0;
  bool too_large = false;
  // Paths are spelt as the reader spells them, so diagnostics agree.
  auto walk = [&](auto&& self, YAML::Node node, const std::string& path) -> void {
    if (too_large) return;
    if (++visited > max_nodes) {
      too_large = true;
      diagnostics.push_back(Diagnostic{sources.file(), 0, 0, "",
                                       fmt::format("the scenario holds more than {} values (counting YAML aliases); "
                                                   "it is too large",
                                                   max_nodes)});
      return;
    }
    if (node.IsScalar()) return substitute(node, path);
    if (node.IsSequence())
      for (std::size_t i = 0; i < node.size(); ++i) self(self, node[i], fmt::format("{}[{}]", path, i));
    if (node.IsMap())
      for (auto it = node.begin(); it != node.end(); ++it)
        self(self, it->second, fmt::format("{}{}{}", path, path.empty() ? "" : ".", it->first.Scalar()));
  };
  for (auto it = root.begin(); it != root.end(); ++it)
    if (!(it->first.IsScalar() && it->first.Scalar() == "params")) walk(walk, it->second, it->first.Scalar());
  return params;
}

}  // namespace outagesim::scenario
