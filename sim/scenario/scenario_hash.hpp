// The scenario hash in summary.json and manifest.json: SHA-256, so that a
// user can check it with `sha256sum`. What is hashed (docs/outputs.md,
// "scenario_hash"): the scenario file's bytes as read; then, for each
// template it uses, "\n--use\n" and the template's bytes; then, for each
// --set override in command-line order, "\n--set PATH=VALUE". A scenario
// without templates or overrides hashes to `sha256sum scenario.yaml`.
#pragma once

#include <string>
#include <vector>

namespace outagesim::scenario {

struct Override;

/// The lowercase hex SHA-256 (64 digits) of the text above.
std::string scenario_hash(const std::string& text, const std::vector<std::string>& templates,
                          const std::vector<Override>& overrides);

/// The lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(const std::string& bytes);

}  // namespace outagesim::scenario
