// A file that appears under its final name only once it is complete: written
// to a hidden temporary beside it, then renamed. A crash or an exception
// leaves either the old file or none, never half of a new one.
#pragma once

#include <filesystem>
#include <fstream>

namespace outagesim::metrics {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  /// Flushes, closes and renames into place; throws std::runtime_error on I/O failure.
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace outagesim::metrics
