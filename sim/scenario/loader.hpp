// Entry point of the scenario stage: a YAML file plus command-line overrides
// in, a checked Scenario out, or a ScenarioError listing every problem found.
#pragma once

#include "diagnostic.hpp"
#include "input_file.hpp"
#include "scenario.hpp"

#include <string>
#include <vector>

namespace outagesim::scenario {

/// One `--set path=value` override. The path uses dots between keys, `[i]`
/// for list positions, and a list element's `name` or `id` instead of its
/// position, bare or in brackets when it holds dots:
/// `providers.cdn.channels.features.size=4MB`, `faults[0].at=+30m`,
/// `sites[shop.example].rps=20k rps`.
struct Override {
  std::string path;
  std::string value;  ///< parsed as a YAML scalar or flow value
};

/// Parses "path=value"; throws ScenarioError naming the bad argument.
Override parse_override(const std::string& argument);

/// Loads, resolves and validates the scenario at `path`.
/// Throws ScenarioError with every diagnostic when anything is wrong.
Scenario load(const std::string& path, const std::vector<Override>& overrides = {});

/// The scenario at `path` as a run with `overrides` uses it, as YAML text that
/// loads to the same scenario on its own: the overrides written in, each
/// `use:` template merged into its entry (so no providers/ folder is needed),
/// `params:` and `${name}` references kept as written. Comments and layout
/// are not kept. Throws ScenarioError when the scenario does not compose.
std::string resolved_yaml(const std::string& path, const std::vector<Override>& overrides = {});

/// As load(), from text already in memory; `file` names it in diagnostics.
Scenario load_from_string(const std::string& text, const std::string& file,
                          const std::vector<Override>& overrides = {});

}  // namespace outagesim::scenario
