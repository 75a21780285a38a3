#include "run_directory_commit.hpp"

#include <system_error>

namespace outagesim::metrics {

void commit_run_directory(const std::filesystem::path& dir, const std::vector<AtomicFile*>& files,
                          AtomicFile& summary, const CommitStep& after_step,
                          const std::vector<std::string>& obsolete) {
  auto done = [&](const std::string& step) {
    if (after_step) after_step(step);
  };
  // Every byte on disk first: a full disk fails here, with the previous run
  // still whole.
  for (AtomicFile* file : files) file->sync();
  summary.sync();
  // Then the old summary goes, and durably: from here until the new one
  // appears, the directory says "incomplete", whatever mix of files it holds.
  std::error_code ec;
  std::filesystem::remove(summary.target(), ec);
  if (ec) throw OutputError(summary.target(), ec.message());
  sync_directory(dir);
  done("remove " + summary.target().filename().string());
  for (const auto& name : obsolete) {
    const bool removed = std::filesystem::remove(dir / name, ec);
    if (ec) throw OutputError(dir / name, ec.message());
    if (removed) done("remove " + name);
  }
  for (AtomicFile* file : files) {
    file->commit();
    done("rename " + file->target().filename().string());
  }
  // The renames above reach the disk before the summary that vouches for them.
  sync_directory(dir);
  summary.commit();
  sync_directory(dir);
  done("rename " + summary.target().filename().string());
}

}  // namespace outagesim::metrics
