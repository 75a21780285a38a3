// Reading a scenario or template file from disk, refusing what is not one:
// a missing path, a directory, a device, or a file too large to load.
#pragma once

#include <cstddef>
#include <string>

namespace outagesim::scenario {

/// Largest scenario or template file accepted, so a huge input fails clearly
/// instead of exhausting memory: yaml-cpp's node graph takes about 70 bytes
/// of memory per byte of YAML, so 4 MiB (some 50,000 sites declared one by
/// one) peak near 300 MB. Larger populations belong in traffic.population
/// (docs/limits.md).
inline constexpr std::size_t max_scenario_bytes = 4u << 20;

/// The bytes of the regular file at `path`. `what` names it in diagnostics
/// ("scenario file", "template"). Throws ScenarioError when it cannot be read.
std::string read_input_file(const std::string& path, const char* what);

}  // namespace outagesim::scenario
