// Limits on the shape of a YAML text, checked from the parser's events before
// yaml-cpp builds a node graph. yaml-cpp shares aliased nodes, so a small
// file can describe a graph that is cyclic (`x: &a [*a]`), exponentially
// large when walked (billion laughs) or thousands of levels deep; every walk
// of such a graph crashes or never ends. Rejecting these shapes first means
// the rest of the loader only ever sees a finite tree of bounded depth.
// docs/limits.md gives each limit with its reason.
#pragma once

#include "diagnostic.hpp"

#include <cstddef>
#include <string>

namespace outagesim::scenario {

/// Deepest nesting of mappings and lists, counting what aliases stand for.
/// The scenario language needs about 8 levels.
inline constexpr std::size_t max_yaml_depth = 64;

/// Most nodes that aliases may stand for in one file, summed over every alias.
inline constexpr std::size_t max_alias_expansion = 1'000'000;

/// Checks that `text`, the whole of one file named `file` in diagnostics, is
/// UTF-8 text holding at most one YAML document within the limits above
/// (`allow_empty`: whether no document at all is fine, as for a --set value).
/// Throws ScenarioError locating the first problem; returns quietly otherwise.
void check_document(const std::string& text, const std::string& file, bool allow_empty = false);

}  // namespace outagesim::scenario
