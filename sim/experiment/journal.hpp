// The journal: the sweep's record of finished runs, so that a sweep killed
// at any moment (SIGKILL included) resumes without redoing a run. One JSON
// line per run, appended with a single write() to a file opened O_APPEND and
// synced, so a line is either whole or a torn last line, which is ignored
// (and cut off before the next append). The first line names the spec and
// the binary, so that a journal is never resumed by another sweep.
#pragma once

#include "run_record.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::experiment {

/// One run as its journal line, ending in '\n'.
std::string journal_line(const RunRecord& record);
/// The run of a journal line (with or without its '\n'); none when it is not one.
std::optional<RunRecord> parse_journal_line(std::string_view line);

/// What a journal belongs to: a resumed sweep must match it exactly.
struct JournalHeader {
  std::string spec_hash;
  std::string outagesim_version;
  std::size_t runs = 0;
  bool operator==(const JournalHeader&) const = default;
};

/// A journal that cannot be used: another sweep's, or damaged before its last line.
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct JournalContents {
  std::optional<JournalHeader> header;  ///< none: an empty or new journal
  std::vector<RunRecord> records;       ///< in file order, first of each id
  std::size_t complete_bytes = 0;       ///< bytes up to the end of the last whole line
};

/// Reads `text`, a journal's bytes: a torn last line (no '\n') is left out.
/// Throws JournalError on a whole line that is not a journal line.
JournalContents parse_journal(std::string_view text, const std::string& file);

/// An open journal, locked against a second sweep in the same directory.
class Journal {
 public:
  /// Opens or creates `path`; throws JournalError when another sweep holds it,
  /// when it belongs to another sweep (header differs), or when it is damaged;
  /// metrics::OutputError when it cannot be written.
  Journal(const std::filesystem::path& path, const JournalHeader& header);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  /// The runs recorded before this sweep opened it.
  [[nodiscard]] const std::vector<RunRecord>& finished() const { return finished_; }
  /// Appends one record durably (one write, then fdatasync).
  void append(const RunRecord& record);

 private:
  void write_all(const std::string& line);

  std::filesystem::path path_;
  int fd_ = -1;
  std::vector<RunRecord> finished_;
};

}  // namespace outagesim::experiment
