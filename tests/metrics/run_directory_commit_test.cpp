// Committing a run directory: atomic files that survive a full disk, the
// commit order that never lets summary.json vouch for another run's files,
// and the guard that keeps non-finite numbers out of the outputs.
#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/run_directory.hpp"
#include "sim/metrics/timeseries_writer.hpp"
#include "sim/metrics/run_directory_commit.hpp"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::metrics {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("outagesim-commit-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

const std::vector<std::string> run_files{"events.jsonl", "timeseries.csv", "attribution.csv", "report.html",
                                         "manifest.json"};

/// Writes every file of a run tagged `run` through AtomicFiles and commits
/// them as run_command does, calling `after_step` between the steps.
void commit_run(const fs::path& dir, const std::string& run, const CommitStep& after_step = {}) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  std::vector<AtomicFile*> pointers;
  for (const auto& name : run_files) {
    files.push_back(std::make_unique<AtomicFile>(dir / name));
    files.back()->stream() << run;
    pointers.push_back(files.back().get());
  }
  AtomicFile summary(dir / "summary.json");
  summary.stream() << run;
  commit_run_directory(dir, pointers, summary, after_step);
}

/// The run directory contract: summary.json present => every file is from
/// the run summary.json describes.
void expect_no_mix(const fs::path& dir, const std::string& when) {
  if (!fs::exists(dir / "summary.json")) return;
  const std::string run = slurp(dir / "summary.json");
  for (const auto& name : run_files) EXPECT_EQ(slurp(dir / name), run) << name << ", " << when;
}

TEST(RunDirectoryCommit, SummaryNeverVouchesForAnotherRunsFiles) {
  const fs::path dir = fresh_dir("no-mix");
  commit_run(dir, "old");
  std::vector<std::string> steps;
  commit_run(dir, "new", [&](const std::string& step) {
    steps.push_back(step);
    expect_no_mix(dir, "after " + step);
  });
  EXPECT_EQ(steps.front(), "remove summary.json");
  EXPECT_EQ(steps.back(), "rename summary.json");
  EXPECT_EQ(steps.size(), run_files.size() + 2);
  EXPECT_EQ(slurp(dir / "summary.json"), "new");
  expect_no_mix(dir, "at the end");
  EXPECT_EQ(entries(dir), run_files.size() + 1);  // no temporaries left
  fs::remove_all(dir);
}

TEST(RunDirectoryCommit, StoppedAtAnyStepLeavesNoMixAndARerunWorks) {
  for (std::size_t stop_after = 0; stop_after < run_files.size() + 2; ++stop_after) {
    const fs::path dir = fresh_dir("stopped");
    commit_run(dir, "old");
    std::size_t step = 0;
    struct Stopped {};
    EXPECT_THROW(commit_run(dir, "new",
                            [&](const std::string&) {
                              if (step++ == stop_after) throw Stopped{};
                            }),
                 Stopped);
    expect_no_mix(dir, "stopped after step " + std::to_string(stop_after));
    commit_run(dir, "rerun");
    expect_no_mix(dir, "after the rerun");
    EXPECT_EQ(slurp(dir / "summary.json"), "rerun");
    EXPECT_EQ(entries(dir), run_files.size() + 1);
    fs::remove_all(dir);
  }
}

/// A tmpfs of `size` mounted on a fresh directory, unmounted at the end; the
/// test is skipped where mounting needs privileges this process lacks.
class TinyFileSystem : public ::testing::Test {
 protected:
  void mount_tiny(const std::string& options) {
    dir_ = fresh_dir("tmpfs");
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (needs root): " << std::strerror(errno);
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount(dir_.c_str());
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path dir_;
  bool mounted_ = false;
};

TEST_F(TinyFileSystem, FullDiskFailsNamingTheFileAndLeavesNothingBehind) {
  mount_tiny("size=64k");
  if (!mounted_) return;
  {
    AtomicFile file(dir_ / "timeseries.csv");
    file.stream() << std::string(1 << 20, 'x');
    try {
      file.commit();
      FAIL() << "1 MiB fitted in a 64 KiB file system";
    } catch (const OutputError& e) {
      EXPECT_THAT(e.what(), HasSubstr((dir_ / "timeseries.csv").string()));
      EXPECT_THAT(e.what(), HasSubstr("No space left on device"));
    }
  }
  EXPECT_EQ(entries(dir_), 0U);
}

TEST_F(TinyFileSystem, FullDiskLeavesThePreviousRunWhole) {
  mount_tiny("size=64k");
  if (!mounted_) return;
  commit_run(dir_, "old");
  {
    std::vector<std::unique_ptr<AtomicFile>> files;
    std::vector<AtomicFile*> pointers;
    for (const auto& name : run_files) {
      files.push_back(std::make_unique<AtomicFile>(dir_ / name));
      files.back()->stream() << std::string(1 << 14, 'n');
      pointers.push_back(files.back().get());
    }
    AtomicFile summary(dir_ / "summary.json");
    summary.stream() << "new";
    EXPECT_THROW(commit_run_directory(dir_, pointers, summary), OutputError);
  }
  EXPECT_EQ(slurp(dir_ / "summary.json"), "old");
  expect_no_mix(dir_, "after the full disk");
  EXPECT_EQ(entries(dir_), run_files.size() + 1);
}

TEST_F(TinyFileSystem, ReadOnlyDirectoryFailsWhenTheFileIsOpened) {
  mount_tiny("size=64k,mode=0755");
  if (!mounted_) return;
  ASSERT_EQ(::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr), 0) << std::strerror(errno);
  try {
    AtomicFile file(dir_ / "summary.json");
    FAIL() << "opened a file on a read-only file system";
  } catch (const OutputError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir_ / "summary.json").string()));
    EXPECT_THAT(e.what(), HasSubstr("Read-only file system"));
  }
}

RunResult finite_result() {
  RunResult r;
  r.scenario = "demo";
  r.duration_s = 20;
  r.resolution_s = 10;
  r.reached_s = 20;
  r.t_s = {0, 10, 20};
  r.series = {{"global", "", "availability", {1, 0.5, 1}}, {"service", "cdn.edge", "queue_wait_s", {0, 1, 2}}};
  r.faults = {{"push", "cdn.rules", 5.0, std::nullopt, 12.0, 13.5}};
  return r;
}

const Provenance provenance{"0.1.0", "3.32.0", "demo.yaml", "0123456789abcdef", {}, {}, {}};

TEST(NonFiniteGuard, FiniteOutputsAreWritten) {
  std::ostringstream csv, json;
  EXPECT_NO_THROW(write_timeseries_csv(csv, finite_result()));
  EXPECT_NO_THROW(write_summary_json(json, finite_result(), provenance));
}

TEST(NonFiniteGuard, TimeseriesNamesTheSeries) {
  for (double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    RunResult r = finite_result();
    r.series[1].values[1] = bad;
    std::ostringstream out;
    try {
      write_timeseries_csv(out, r);
      FAIL() << "wrote " << bad;
    } catch (const std::logic_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("timeseries.csv"));
      EXPECT_THAT(e.what(), HasSubstr("service/cdn.edge/queue_wait_s at t=10 s"));
    }
  }
}

TEST(NonFiniteGuard, SummaryNamesTheMetric) {
  RunResult r = finite_result();
  r.availability_mean = std::nan("");
  std::ostringstream out;
  try {
    write_summary_json(out, r, provenance);
    FAIL() << "wrote a NaN availability_mean";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("summary.json: metrics/availability_mean"));
  }
  r = finite_result();
  r.faults[0].recovered_at = -std::numeric_limits<double>::infinity();
  EXPECT_THROW(write_summary_json(out, r, provenance), std::logic_error);
}

TEST(NonFiniteGuard, AttributionNamesTheSite) {
  RunResult r = finite_result();
  r.outages = {{"shop.example", 10, std::nullopt, 5, {{"push", std::nan("")}}}};
  std::ostringstream out;
  try {
    write_attribution_csv(out, r);
    FAIL() << "wrote a NaN share";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("shop.example"));
  }
}

}  // namespace
}  // namespace outagesim::metrics
