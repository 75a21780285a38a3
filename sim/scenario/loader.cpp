#include "loader.hpp"

#include "compose.hpp"
#include "describe.hpp"
#include "document_limits.hpp"
#include "input_file.hpp"
#include "scenario_hash.hpp"
#include "source_map.hpp"
#include "suggest.hpp"
#include "validate.hpp"
#include "yaml_visitor.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {
namespace {

/// Splits "providers.cdn.channels[0].size" into keys and list selectors:
/// ["providers", "cdn", "channels", "[0]", "size"].
std::vector<std::string> split_override_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '.' || c == '[') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
      if (c == '[') {
        auto close = path.find(']', i);
        if (close == std::string::npos) return {};
        parts.push_back(path.substr(i, close - i + 1));
        i = close;
      }
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

/// Applies one override to the YAML tree before it is read, so overridden
/// values go through exactly the checks the file's own values do.
void apply_override(YAML::Node root, const Override& o, SourceMap& sources, std::vector<Diagnostic>& diagnostics) {
  auto fail = [&](std::string message) {
    diagnostics.push_back(Diagnostic{"--set", 0, 0, o.path, std::move(message)});
  };
  auto parts = split_override_path(o.path);
  if (parts.empty()) return fail("expected a path such as providers.cdn.channels.features.size");
  YAML::Node value;
  try {
    check_document(o.value, "--set", true);
  } catch (const ScenarioError& e) {
    return fail(fmt::format("the value '{}' is not accepted: {}", o.value, e.diagnostics().front().message));
  }
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    return fail(fmt::format("the value '{}' is not valid YAML: {}", o.value, e.msg));
  }

  YAML::Node node = root;
  std::string canonical;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    if (node.IsSequence()) {
      std::size_t index = node.size();
      std::string name = part;
      if (part.front() == '[') name = part.substr(1, part.size() - 2);
      if (!name.empty() && std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        index = std::strtoul(name.c_str(), nullptr, 10);
      } else {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < node.size(); ++k) {
          for (const char* key : {"name", "id"}) {
            if (node[k].IsMap() && node[k][key] && node[k][key].IsScalar()) {
              names.push_back(node[k][key].Scalar());
              if (node[k][key].Scalar() == name && index == node.size()) index = k;
            }
          }
        }
        if (index == node.size())
          return fail(fmt::format("no element named '{}' in '{}'{}", name, canonical, did_you_mean(name, names)));
      }
      if (index >= node.size())
        return fail(fmt::format("'{}' has {} elements; {} is out of range", canonical, node.size(), part));
      canonical += fmt::format("[{}]", index);
      if (last) {
        node[index] = value;
        break;
      }
      YAML::Node next = node[index];
      node.reset(next);
      continue;
    }
    if (!node.IsMap() || part.front() == '[')
      return fail(fmt::format("cannot select '{}' inside '{}': it is not a mapping or a list", part, canonical));
    canonical += canonical.empty() ? part : "." + part;
    if (last) {
      node[part] = value;
      break;
    }
    // A mapping the path goes through but the scenario leaves out is
    // created, as the last key is: the scenario's own checks then refuse a
    // key that does not exist, with a suggestion.
    if (!node[part]) node[part] = YAML::Node(YAML::NodeType::Map);
    YAML::Node next = node[part];
    node.reset(next);
  }
  sources.mark_overridden(canonical);
}

}  // namespace

Override parse_override(const std::string& argument) {
  auto eq = argument.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError({Diagnostic{"--set", 0, 0, argument, "expected path=value, e.g. scenario.seed=7"}});
  return Override{argument.substr(0, eq), argument.substr(eq + 1)};
}

namespace {

/// The YAML tree of `text` with templates merged in and overrides applied,
/// parameters not yet substituted; the texts of the templates used go to
/// `templates`. Problems go to `diagnostics`; a text that is not a YAML
/// mapping at all throws ScenarioError.
YAML::Node compose_tree(const std::string& text, const std::string& file, const std::vector<Override>& overrides,
                        SourceMap& sources, std::vector<Diagnostic>& diagnostics, std::vector<std::string>& templates) {
  if (text.size() > max_scenario_bytes)
    throw ScenarioError({Diagnostic{file, 0, 0, "",
                                    fmt::format("the scenario is {} bytes; scenario files are limited to {} bytes ({} "
                                                "MiB; for many sites use traffic.population)",
                                                text.size(), max_scenario_bytes, max_scenario_bytes >> 20)}});
  // The shape of the text first: what the node graph below cannot hold safely.
  check_document(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError({Diagnostic{file, e.mark.line + 1, e.mark.column + 1, "",
                                    fmt::format("invalid YAML: {}", e.msg)}});
  }
  if (!root.IsMap())
    throw ScenarioError({Diagnostic{file, 1, 1, "", "expected a mapping with keys scenario, providers, sites, ..."}});
  sources.record("", 1, 1);
  // Templates first, so that overrides and parameters reach into them too.
  templates = apply_templates(root, file, sources, diagnostics);
  for (const auto& o : overrides) apply_override(root, o, sources, diagnostics);
  return root;
}

}  // namespace

Scenario load_from_string(const std::string& text, const std::string& file, const std::vector<Override>& overrides) {
  std::vector<Diagnostic> diagnostics;
  SourceMap sources(file);
  std::vector<std::string> templates;
  YAML::Node root = compose_tree(text, file, overrides, sources, diagnostics, templates);
  auto params = apply_params(root, sources, diagnostics);

  Scenario scenario;
  LoadContext context{sources, diagnostics};
  YamlVisitor visitor(context, root, "");
  describe(visitor, scenario);
  visitor.finish();
  // Range and reference checks assume the structure is sound; on a structural
  // error they would mostly repeat it in other words.
  if (diagnostics.empty()) validate(scenario, sources, diagnostics);
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));

  scenario.file = file;
  scenario.params = std::move(params);
  scenario.source_hash = scenario_hash(text, templates, overrides);
  scenario.sources = std::make_shared<const SourceMap>(std::move(sources));
  return scenario;
}

Scenario load(const std::string& path, const std::vector<Override>& overrides) {
  return load_from_string(read_input_file(path, "scenario file"), path, overrides);
}

std::string resolved_yaml(const std::string& path, const std::vector<Override>& overrides) {
  std::vector<Diagnostic> diagnostics;
  SourceMap sources(path);
  std::vector<std::string> templates;
  YAML::Node root = compose_tree(read_input_file(path, "scenario file"), path, overrides, sources, diagnostics, templates);
  if (!diagnostics.empty()) throw ScenarioError(std::move(diagnostics));
  // Each template is merged into its entry: the entry no longer needs one,
  // and the text must load where no providers/ folder is.
  if (YAML::Node providers = root["providers"]; providers && providers.IsSequence())
    for (YAML::Node entry : providers)
      if (entry.IsMap() && entry["use"]) entry.remove("use");
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace outagesim::scenario
