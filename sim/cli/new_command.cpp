// `outagesim new TEMPLATE NAME`: writes NAME.yaml from a starter template
// (starter_templates.hpp), and never over a file that exists.
#include "commands.hpp"
#include "starter_templates.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

namespace outagesim::cli {
namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Writes `text` to a new file at `path`: fails, leaving anything there
/// alone, when something exists already. Returns the error, or "".
std::string write_new_file(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno == EEXIST ? "it exists already; choose another NAME or move it away" : std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string error = std::strerror(errno);
      ::close(fd);
      fs::remove(path);
      return error;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return std::strerror(errno);
  return {};
}

}  // namespace

std::string new_command_help() {
  std::string text = "Templates:\n";
  for (const auto& t : starter_templates()) text += fmt::format("  {:<24}{}\n", t.name, t.question);
  return text + "Example:\n  outagesim new site-cdn-dns my-site && outagesim run my-site.yaml";
}

std::vector<std::string> starter_template_names() {
  std::vector<std::string> names;
  for (const auto& t : starter_templates()) names.emplace_back(t.name);
  return names;
}

int new_command(const NewOptions& options) {
  const auto& templates = starter_templates();
  const auto chosen = std::find_if(templates.begin(), templates.end(),
                                   [&](const StarterTemplate& t) { return t.name == options.template_name; });
  if (chosen == templates.end()) {
    std::cerr << fmt::format("outagesim new: error: no template '{}'\n{}\n", options.template_name, new_command_help());
    return exit_bad_input;
  }
  const fs::path path = ends_with(options.name, ".yaml") || ends_with(options.name, ".yml")
                            ? fs::path(options.name)
                            : fs::path(options.name + ".yaml");
  const std::string scenario_name = path.stem().string();
  const bool plain = !scenario_name.empty() && std::all_of(scenario_name.begin(), scenario_name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (!plain) {
    std::cerr << fmt::format(
        "outagesim new: error: '{}': the scenario is named after the file, so NAME needs letters, digits, - or _ "
        "(such as my-site)\n",
        options.name);
    return exit_bad_input;
  }
  if (const std::string error = write_new_file(path, instantiate(*chosen, scenario_name)); !error.empty()) {
    std::cerr << fmt::format("outagesim new: error: {}: {}\n", path.string(), error);
    return exit_bad_input;
  }
  fmt::print("wrote {} ({})\nnext: outagesim validate {}  then  outagesim run {}\n", path.string(), chosen->question,
             path.string(), path.string());
  return exit_ok;
}

}  // namespace outagesim::cli
