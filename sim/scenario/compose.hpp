// Composition, applied to the YAML tree before it is read: `use:` templates
// from providers/ folders, and `params:` with `${name}` references. Private to
// the scenario stage (it speaks yaml-cpp).
#pragma once

#include "diagnostic.hpp"
#include "source_map.hpp"

#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace outagesim::scenario {

/// Replaces each provider entry that says `use: NAME` by the template
/// `providers/NAME.yaml` (searched next to `scenario_file`, then in each parent
/// folder), deep-merged with the entry: keys of the entry win, lists of named
/// items are merged by `name`. Returns the templates' texts, for the hash.
std::vector<std::string> apply_templates(YAML::Node root, const std::string& scenario_file, SourceMap& sources,
                                         std::vector<Diagnostic>& diagnostics);

/// Substitutes `${name}` in every scalar outside `params:` by the parameter's
/// value, and returns the parameters as (name, value) in declaration order.
std::vector<std::pair<std::string, std::string>> apply_params(YAML::Node root, SourceMap& sources,
                                                              std::vector<Diagnostic>& diagnostics);

}  // namespace outagesim::scenario
