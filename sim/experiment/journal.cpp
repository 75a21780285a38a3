#include "journal.hpp"

#include "sim/metrics/atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::experiment {
namespace {

using nlohmann::json;

std::string header_line(const JournalHeader& h) {
  json j{{"outagesim_sweep_journal", 1},
         {"spec_hash", h.spec_hash},
         {"outagesim_version", h.outagesim_version},
         {"runs", h.runs}};
  return j.dump() + "\n";
}

std::optional<JournalHeader> parse_header(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("outagesim_sweep_journal")) return std::nullopt;
  try {
    return JournalHeader{j.at("spec_hash").get<std::string>(), j.at("outagesim_version").get<std::string>(),
                         j.at("runs").get<std::size_t>()};
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view status_name(RunStatus status) {
  switch (status) {
    case RunStatus::ok: return "ok";
    case RunStatus::failed: return "failed";
    case RunStatus::timeout: return "timeout";
    case RunStatus::memory: return "memory";
  }
  return "?";
}

std::optional<RunStatus> parse_status(std::string_view name) {
  for (RunStatus s : {RunStatus::ok, RunStatus::failed, RunStatus::timeout, RunStatus::memory})
    if (status_name(s) == name) return s;
  return std::nullopt;
}

std::string journal_line(const RunRecord& r) {
  json metrics = json::array();
  for (const auto& m : r.metrics) metrics.push_back(m && std::isfinite(*m) ? json(*m) : json(nullptr));
  json j{{"id", r.id}, {"status", status_name(r.status)}, {"metrics", metrics}, {"error", r.error_tail},
         {"wall_s", r.wall_s}};
  // Replacement keeps a line valid JSON even when a child's stderr is not UTF-8.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::optional<RunRecord> parse_journal_line(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  json j = json::parse(line, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    RunRecord r;
    r.id = j.at("id").get<std::size_t>();
    auto status = parse_status(j.at("status").get<std::string>());
    if (!status) return std::nullopt;
    r.status = *status;
    for (const auto& m : j.at("metrics")) {
      if (m.is_null()) r.metrics.emplace_back();
      else r.metrics.emplace_back(m.get<double>());
    }
    r.error_tail = j.at("error").get<std::string>();
    r.wall_s = j.at("wall_s").get<double>();
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

JournalContents parse_journal(std::string_view text, const std::string& file) {
  JournalContents contents;
  std::set<std::size_t> seen;
  std::size_t start = 0, line_number = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) break;  // a torn last line: the run it was for is not finished
    ++line_number;
    const std::string_view line = text.substr(start, end - start);
    if (line_number == 1) {
      contents.header = parse_header(line);
      if (!contents.header) throw JournalError(fmt::format("{}:1: not an outagesim sweep journal", file));
    } else if (auto record = parse_journal_line(line)) {
      if (seen.insert(record->id).second) contents.records.push_back(std::move(*record));
    } else {
      throw JournalError(fmt::format("{}:{}: damaged journal line (remove the journal to start the sweep over)", file,
                                     line_number));
    }
    start = end + 1;
    contents.complete_bytes = start;
  }
  return contents;
}

Journal::Journal(const std::filesystem::path& path, const JournalHeader& header) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw metrics::OutputError(path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    throw JournalError(fmt::format("{}: another sweep is running in this directory", path.string()));
  }
  std::string text;
  char buffer[1 << 16];
  ssize_t n = 0;
  while ((n = ::pread(fd_, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  JournalContents contents;
  try {
    contents = parse_journal(text, path.string());
    if (contents.header && *contents.header != header)
      throw JournalError(fmt::format(
          "{}: the journal of another sweep (spec hash {}, outagesim {}, {} runs; this one: {}, {}, {} runs); "
          "use another --out or remove the directory",
          path.string(), contents.header->spec_hash, contents.header->outagesim_version, contents.header->runs,
          header.spec_hash, header.outagesim_version, header.runs));
  } catch (...) {
    ::close(fd_);
    throw;
  }
  // A torn last line is cut off, so the next line starts on a line of its own.
  if (contents.complete_bytes != text.size() && ::ftruncate(fd_, static_cast<off_t>(contents.complete_bytes)) != 0) {
    const int error = errno;
    ::close(fd_);
    throw metrics::OutputError(path, error);
  }
  if (!contents.header) write_all(header_line(header));
  finished_ = std::move(contents.records);
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::write_all(const std::string& line) {
  // One write() of the whole line: with O_APPEND it lands at the end in one
  // piece, or (killed mid-way, disk full) as a torn last line.
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size())) throw metrics::OutputError(path_, written < 0 ? errno : ENOSPC);
  if (::fdatasync(fd_) != 0) throw metrics::OutputError(path_, errno);
}

void Journal::append(const RunRecord& record) { write_all(journal_line(record)); }

}  // namespace outagesim::experiment
