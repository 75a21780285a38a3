// Running the real `outagesim` binary from a test, and reading what it wrote.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::testing {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// An empty directory of this process's own under the temporary directory.
/// stderr without AddressSanitizer's own notice about SimGrid's stack
/// switching, which the asan-ubsan preset prints once per process.
inline std::string without_sanitizer_notes(const std::string& err) {
  std::istringstream lines(err);
  std::string line, kept;
  while (std::getline(lines, line)) {
    const bool note = line.rfind("==", 0) == 0 || line.rfind("False positive error reports may follow", 0) == 0 ||
                      line.rfind("For details see https://github.com/google/sanitizers/", 0) == 0;
    if (!note) kept += line + '\n';
  }
  return kept;
}

inline fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / fmt::format("outagesim-test-{}-{}", getpid(), name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(slurp(path)); }

/// Runs a shell command: its standard output and exit code (stderr is the command's to redirect).
inline Outcome shell(const std::string& command) {
  Outcome o;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) o.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

/// Runs the CLI with `args` (already shell-quoted) in `cwd`.
inline Outcome outagesim(const std::string& args, const fs::path& cwd = fs::temp_directory_path()) {
  fs::path err_file = fresh_dir("stderr") / "err.txt";
  Outcome o = shell(fmt::format("cd '{}' && '{}' {} 2>'{}'", cwd.string(), OUTAGESIM_BINARY, args, err_file.string()));
  o.err = slurp(err_file);
  return o;
}

/// The path of a scenario shipped with the sources.
inline std::string example(const std::string& name) {
  return fmt::format("{}/scenarios/examples/{}.yaml", OUTAGESIM_SOURCE_DIR, name);
}

/// Runs a shipped example into a fresh directory and returns that directory.
inline fs::path run_example(const std::string& name, const std::string& extra_args = "") {
  fs::path dir = fresh_dir("run-" + name);
  Outcome o = outagesim(fmt::format("run '{}' --out '{}' {}", example(name), dir.string(), extra_args));
  if (o.exit_code != 0) throw std::runtime_error(fmt::format("outagesim run {} failed: {}", name, o.err));
  return dir;
}

/// Every event of a run directory's events.jsonl.
inline std::vector<nlohmann::json> read_events(const fs::path& dir) {
  std::vector<nlohmann::json> events;
  std::istringstream lines(slurp(dir / "events.jsonl"));
  std::string line;
  while (std::getline(lines, line)) events.push_back(nlohmann::json::parse(line));
  return events;
}

/// The values of one series of timeseries.csv, in time order, with their times.
inline std::vector<std::pair<double, double>> read_series(const fs::path& dir, const std::string& scope,
                                                          const std::string& entity, const std::string& metric) {
  std::vector<std::pair<double, double>> out;
  std::istringstream lines(slurp(dir / "timeseries.csv"));
  std::string line;
  const std::string key = fmt::format(",{},{},{},", scope, entity, metric);
  while (std::getline(lines, line)) {
    auto at = line.find(key);
    if (at == std::string::npos) continue;
    out.emplace_back(std::stod(line.substr(0, line.find(','))), std::stod(line.substr(at + key.size())));
  }
  return out;
}

/// A series as read_series gives it: (t, value) in time order.
using Series = std::vector<std::pair<double, double>>;

/// The values of `series` with t strictly inside (from, to): samples that
/// fall on an event's own time may show either side of it.
inline std::vector<double> inside(const Series& series, double from, double to) {
  std::vector<double> out;
  for (const auto& [t, v] : series)
    if (t > from && t < to) out.push_back(v);
  return out;
}

/// The values of `series` with t in [from, to).
inline std::vector<double> between(const Series& series, double from, double to) {
  std::vector<double> out;
  for (const auto& [t, v] : series)
    if (t >= from && t < to) out.push_back(v);
  return out;
}

inline double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
inline double max_of(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

}  // namespace outagesim::testing
