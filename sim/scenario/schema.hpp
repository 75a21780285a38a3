// A JSON Schema of the scenario language, generated from the field
// declarations the loader reads with (describe.hpp), so that an editor with a
// YAML language server checks and completes the language the loader accepts,
// and cannot drift from it.
#pragma once

#include <string>

namespace outagesim::scenario {

/// The scenario language as a JSON Schema (draft 2020-12), pretty-printed.
std::string scenario_json_schema();

/// The sweep spec language (sweep_spec.hpp) as a JSON Schema, pretty-printed.
std::string sweep_json_schema();

}  // namespace outagesim::scenario
