// `outagesim completion bash`: a bash completion script generated from the
// command line's own definition, so that every subcommand and option (also
// those added later) completes without a second list to keep up to date.
// The build writes it to build/.../outagesim.bash and `cmake --install`
// puts it where bash-completion finds it.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace outagesim::cli {

/// The bash completion script for `app`: subcommands, their options, and
/// file names for their arguments (YAML files for a scenario or spec,
/// directories for --out and run directories).
std::string bash_completion(const CLI::App& app);

/// When `word` (the first argument) is neither an option nor one of `app`'s
/// subcommands: the error to print, with "did you mean" when one is close.
/// Empty otherwise.
std::string unknown_subcommand_error(const CLI::App& app, const std::string& word);

}  // namespace outagesim::cli
