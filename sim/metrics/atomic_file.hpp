// A file that appears under its final name only once it is complete: written
// to a hidden temporary beside it, synced to disk, then renamed. A crash, an
// exception or a full disk leaves either the old file or none, never half of
// a new one.
#pragma once

#include <array>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <streambuf>
#include <string>

namespace outagesim::metrics {

/// A file or directory of the outputs that cannot be written (a full disk, a
/// read-only file system, a path that is too long...). Not a bug of ours:
/// the command line reports it as bad input, naming the path.
class OutputError : public std::runtime_error {
 public:
  OutputError(const std::filesystem::path& path, const std::string& what);
  /// The reason of errno `error`: "cannot write PATH: No space left on device".
  OutputError(const std::filesystem::path& path, int error);
};

class AtomicFile {
 public:
  /// Creates the temporary; throws OutputError when it cannot.
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  /// Flushes, syncs the temporary to disk and closes it; throws OutputError
  /// on any I/O failure (a full disk shows here, before anything is renamed).
  void sync();
  /// sync() if not done yet, then renames into place; throws OutputError
  /// (the temporary is then removed by the destructor). The rename itself is
  /// made durable by sync_directory of the parent.
  void commit();

 private:
  /// The temporary's bytes go straight to its file descriptor, so that a
  /// failed write keeps its errno and the same descriptor can be synced.
  class FileBuffer : public std::streambuf {
   public:
    explicit FileBuffer(int fd);
    /// errno of the first failed write, or 0.
    [[nodiscard]] int error() const { return error_; }

   protected:
    int_type overflow(int_type ch) override;
    int sync() override;

   private:
    bool drain();
    int fd_;
    int error_ = 0;
    std::array<char, 1 << 16> buffer_{};
  };

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  FileBuffer buffer_;
  std::ostream out_;
  bool committed_ = false;
};

/// Makes the renames and removals done in `directory` durable (fsync of the
/// directory itself); throws OutputError.
void sync_directory(const std::filesystem::path& directory);

}  // namespace outagesim::metrics
