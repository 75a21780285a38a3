// What made a run directory, as its manifest.json records it: the scenario
// file argument and the `--set`/`--seed` overrides. `outagesim run` reruns
// into a directory only for the same origin, so that one command line never
// silently replaces another's run (docs/outputs.md, "Reruns and --force").
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace outagesim::metrics {

struct RunOrigin {
  std::string scenario_file;           ///< as given on the command line
  std::vector<std::string> overrides;  ///< "path=value", in order, --seed last as scenario.seed=N
  std::vector<std::string> command_line;

  /// Same scenario file argument and same overrides in the same order; the
  /// binary's path and --out do not count.
  [[nodiscard]] bool same_run_as(const RunOrigin& other) const {
    return scenario_file == other.scenario_file && overrides == other.overrides;
  }
};

/// The origin recorded in `dir`/manifest.json, or nullopt when the directory
/// holds no manifest.json (no run ever finished in it). Throws OutputError
/// naming the file when manifest.json exists but is not one outagesim wrote.
std::optional<RunOrigin> recorded_origin(const std::filesystem::path& dir);

/// The command line as one shell-readable line: arguments holding spaces or
/// quotes are single-quoted.
std::string shell_line(const std::vector<std::string>& arguments);

}  // namespace outagesim::metrics
