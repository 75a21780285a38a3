// The directory a command writing several files (compare, ensemble) writes
// them into: created if missing, else an error naming the command.
#pragma once

#include <filesystem>
#include <iostream>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

namespace outagesim::cli {

/// Creates `dir` (and its parents); on failure says so on stderr as
/// "outagesim COMMAND: error: cannot create DIR: REASON" and returns false.
inline bool create_output_directory(std::string_view command, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec && std::filesystem::is_directory(dir)) return true;
  std::cerr << fmt::format("outagesim {}: error: cannot create {}: {}\n", command, dir.string(), ec.message());
  return false;
}

}  // namespace outagesim::cli
