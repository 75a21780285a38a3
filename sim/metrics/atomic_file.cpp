#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

/// Errors name the target, the name the user knows.
int open_temporary(const std::filesystem::path& temporary, const std::filesystem::path& target) {
  int fd = -1;
  do {
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw OutputError(target, errno);
  return fd;
}
}  // namespace

OutputError::OutputError(const std::filesystem::path& path, const std::string& what)
    : std::runtime_error("cannot write " + path.string() + ": " + what) {}

OutputError::OutputError(const std::filesystem::path& path, int error)
    : OutputError(path, std::generic_category().message(error)) {}

AtomicFile::FileBuffer::FileBuffer(int fd) : fd_(fd) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }

AtomicFile::FileBuffer::int_type AtomicFile::FileBuffer::overflow(int_type ch) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(ch, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(ch);
    pbump(1);
  }
  return traits_type::not_eof(ch);
}

int AtomicFile::FileBuffer::sync() { return drain() ? 0 : -1; }

bool AtomicFile::FileBuffer::drain() {
  if (error_ != 0) return false;
  const char* next = pbase();
  while (next < pptr()) {
    const ssize_t written = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
    if (written < 0) {
      if (errno == EINTR) continue;
      error_ = errno;
      return false;
    }
    next += written;
  }
  setp(buffer_.data(), buffer_.data() + buffer_.size());
  return true;
}

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)),
      temporary_(temporary_for(target_)),
      fd_(open_temporary(temporary_, target_)),
      buffer_(fd_),
      out_(&buffer_) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(temporary_, ignored);
}

void AtomicFile::sync() {
  if (fd_ < 0) return;
  out_.flush();
  if (buffer_.error() != 0) throw OutputError(target_, buffer_.error());
  if (!out_) throw OutputError(target_, "the output stream failed");
  // On disk before it is renamed: after a power loss the new name never
  // points at an empty or partial file.
  if (::fsync(fd_) != 0) throw OutputError(target_, errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) throw OutputError(target_, errno);
}

void AtomicFile::commit() {
  sync();
  std::error_code ec;
  std::filesystem::rename(temporary_, target_, ec);
  if (ec) throw OutputError(target_, ec.message());
  committed_ = true;
}

void sync_directory(const std::filesystem::path& directory) {
  const std::filesystem::path path = directory.empty() ? std::filesystem::path(".") : directory;
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw OutputError(path, errno);
  const int synced = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (synced != 0) throw OutputError(path, error);
}

}  // namespace outagesim::metrics
