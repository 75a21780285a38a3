#include "atomic_file.hpp"

#include <stdexcept>
#include <system_error>

namespace outagesim::metrics {

namespace {
/// "dir/name" -> "dir/.name.tmp": hidden, and in the same directory so that
/// the rename is atomic.
std::filesystem::path temporary_for(const std::filesystem::path& target) {
  std::string name(".");  // built in steps: GCC 12 warns falsely on "." + string
  name += target.filename().string();
  name += ".tmp";
  return target.parent_path() / name;
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)), temporary_(temporary_for(target_)), out_(temporary_, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot write " + temporary_.string());
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::commit() {
  out_.flush();
  out_.close();
  if (!out_) throw std::runtime_error("failed writing " + temporary_.string());
  std::filesystem::rename(temporary_, target_);
  committed_ = true;
}

}  // namespace outagesim::metrics
