#include "input_file.hpp"

#include "diagnostic.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

namespace outagesim::scenario {

std::string read_input_file(const std::string& path, const char* what) {
  namespace fs = std::filesystem;
  auto fail = [&](std::string message) { throw ScenarioError({Diagnostic{path, 0, 0, "", std::move(message)}}); };
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error || !fs::exists(status)) {
    if (error && error != std::errc::no_such_file_or_directory && error != std::errc::not_a_directory)
      fail(fmt::format("cannot open the {}: {}", what, error.message()));
    fail(fmt::format("cannot open the {}: no such file", what));
  }
  if (fs::is_directory(status)) fail(fmt::format("expected a {}, got a directory", what));
  if (!fs::is_regular_file(status)) fail(fmt::format("expected a {}, got something that is not a regular file", what));
  const auto size = fs::file_size(path, error);
  if (error) fail(fmt::format("cannot read the {}: {}", what, error.message()));
  if (size > max_scenario_bytes)
    fail(fmt::format("the {} is {} bytes; scenario and template files are limited to {} bytes ({} MiB; for many "
                     "sites use traffic.population)",
                     what, size, max_scenario_bytes, max_scenario_bytes >> 20));
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(fmt::format("cannot open the {}", what));
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size)) fail(fmt::format("cannot read the {}: it changed while read", what));
  return text;
}

}  // namespace outagesim::scenario
