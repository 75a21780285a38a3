// One run at a time in a run directory. Two runs writing into the same
// directory would share their temporaries and mix their files; the second
// is refused instead. The lock is the kernel's (flock on the directory), so
// it ends with the process however the process ends, and leaves no file.
#pragma once

#include <filesystem>

namespace outagesim::metrics {

class RunDirectoryLock {
 public:
  /// Locks `dir` (an existing directory); throws OutputError when another
  /// process holds it or it cannot be opened.
  explicit RunDirectoryLock(const std::filesystem::path& dir);
  ~RunDirectoryLock();
  RunDirectoryLock(const RunDirectoryLock&) = delete;
  RunDirectoryLock& operator=(const RunDirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace outagesim::metrics
