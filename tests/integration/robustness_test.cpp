// A run as the environment treats it: output directories that cannot be
// written, full disks, odd names, signals, reruns into the same directory.
// Each through the real binary (docs/exit-codes.md, docs/outputs.md).
#include "cli_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

/// A scenario that runs for about a minute of wall time: cdn-bad-push over
/// 100 simulated days (within the limit of 10,000,000 one-second traffic
/// steps), sampled every 20 seconds.
std::string long_run_args(const fs::path& out) {
  return fmt::format("run '{}' --out '{}' --set scenario.duration=100d --set output.resolution=20s",
                     example("cdn-bad-push"), out.string());
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(OutputDirectory, AFileIsRefusedBeforeTheRun) {
  const fs::path dir = fresh_dir("out-is-file");
  const fs::path file = dir / "plain-file";
  std::ofstream(file) << "not a directory";
  const auto start = Clock::now();
  const Outcome o = outagesim(long_run_args(file));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr(file.string()));
  EXPECT_THAT(o.err, HasSubstr("not a directory"));
  EXPECT_THAT(o.err, Not(HasSubstr("internal error")));
  EXPECT_LT(seconds_since(start), 5.0);  // the 400-day run never started
  EXPECT_EQ(slurp(file), "not a directory");
}

TEST(OutputDirectory, APathThroughAFileIsRefusedBeforeTheRun) {
  const fs::path dir = fresh_dir("out-under-file");
  std::ofstream(dir / "plain-file") << "x";
  const fs::path out = dir / "plain-file" / "sub";
  const auto start = Clock::now();
  const Outcome o = outagesim(long_run_args(out));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr(out.string()));
  EXPECT_THAT(o.err, HasSubstr("cannot create the run directory"));
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST(OutputDirectory, AVeryLongNameIsRefusedNamingIt) {
  const fs::path out = fresh_dir("out-long") / std::string(300, 'n');
  const Outcome o = outagesim(long_run_args(out));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr(out.string()));
  EXPECT_THAT(o.err, HasSubstr("File name too long"));
}

TEST(OutputDirectory, AnEmptyPathIsRefused) {
  const Outcome o = outagesim(fmt::format("run '{}' --out ''", example("cdn-bad-push")));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("--out"));
}

TEST(OutputDirectory, AnOddNameWorks) {
  const fs::path out = fresh_dir("out-odd") / "sp ace,comma;\"quote\" -dash\tand\xc3\xa9";
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}' --set scenario.duration=1h", example("cdn-bad-push"),
                                          out.string()));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(read_json(out / "summary.json")["status"], "complete");
}

/// A tmpfs mounted on a fresh directory for one test, unmounted after it;
/// skipped where mounting needs privileges the test lacks.
class MountedOut : public ::testing::Test {
 protected:
  bool mount_tmpfs(const std::string& options, unsigned long flags = 0) {
    dir_ = fresh_dir("tmpfs-out");
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", flags, options.c_str()) != 0) return false;
    mounted_ = true;
    return true;
  }
  void TearDown() override {
    if (mounted_) ::umount(dir_.c_str());
  }
  fs::path dir_;
  bool mounted_ = false;
};

TEST_F(MountedOut, AReadOnlyDirectoryIsRefusedBeforeTheRun) {
  if (!mount_tmpfs("size=1m", MS_RDONLY)) GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  const auto start = Clock::now();
  const Outcome o = outagesim(long_run_args(dir_));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr(dir_.string()));
  EXPECT_THAT(o.err, HasSubstr("Read-only file system"));
  EXPECT_THAT(o.err, Not(HasSubstr("internal error")));
  EXPECT_LT(seconds_since(start), 5.0);
}

TEST_F(MountedOut, AFullDiskLeavesNoHalfWrittenFile) {
  if (!mount_tmpfs("size=64k")) GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  const Outcome o = outagesim(fmt::format("run '{}' --out '{}'", example("cdn-bad-push"), dir_.string()));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr(dir_.string()));
  EXPECT_THAT(o.err, HasSubstr("No space left on device"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 0);  // not even a temporary
}

/// Starts the CLI with `args` in the background, its stderr to `err_file`.
pid_t spawn_outagesim(const std::string& args, const fs::path& err_file) {
  const std::string command = fmt::format("exec '{}' {} >/dev/null 2>'{}'", OUTAGESIM_BINARY, args, err_file.string());
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

/// Interrupts a long run with `signal` once it is simulating, and checks
/// what it leaves: the exit code, one line on stderr, a run directory marked
/// interrupted at the time reached, and that a rerun into it works (with
/// --force, being another command line).
void interrupt_and_rerun(int signal, int expected_exit, const std::string& name) {
  const fs::path out = fresh_dir("interrupted-" + name);
  const fs::path err_file = fresh_dir("interrupted-err-" + name) / "err.txt";
  const pid_t pid = spawn_outagesim(long_run_args(out), err_file);
  ASSERT_GT(pid, 0);
  // Simulating once the events' temporary exists; give it a moment more.
  const auto start = Clock::now();
  while (!fs::exists(out / ".events.jsonl.tmp") && seconds_since(start) < 30)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(kill(pid, signal), 0);
  const auto signalled = Clock::now();
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_LT(seconds_since(signalled), 20.0);  // promptly: the next sample, then the files
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), expected_exit);

  const std::string err = slurp(err_file);
  EXPECT_THAT(err, HasSubstr("interrupted by " + name));
  EXPECT_THAT(err, HasSubstr(out.string()));
  // One line of ours. AddressSanitizer adds a warning of its own about
  // SimGrid's context switches, which is not ours to count.
  std::istringstream lines(err);
  int ours = 0;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("outagesim:", 0) == 0) ++ours;
  EXPECT_EQ(ours, 1) << err;
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
#endif

  const auto summary = read_json(out / "summary.json");
  EXPECT_EQ(summary["status"], "interrupted");
  const double reached = summary["reached_s"].get<double>();
  EXPECT_GE(reached, 0);  // 0 when the signal beat the first sample on a slow machine
  EXPECT_LT(reached, summary["duration_s"].get<double>());
  const auto availability = read_series(out, "global", "", "availability");
  ASSERT_FALSE(availability.empty());
  EXPECT_EQ(availability.back().first, reached);  // the samples taken, up to the time reached
  for (const char* file : {"events.jsonl", "timeseries.csv", "attribution.csv", "report.html", "manifest.json"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  EXPECT_FALSE(fs::exists(out / ".events.jsonl.tmp"));
  EXPECT_THAT(slurp(out / "report.html"), HasSubstr("<strong>Interrupted</strong>"));

  // Another command line (a shorter run) replaces it only when asked to.
  const std::string shorter = fmt::format("run '{}' --out '{}' --set scenario.duration=1h", example("cdn-bad-push"),
                                          out.string());
  EXPECT_EQ(outagesim(shorter).exit_code, 2);
  const Outcome rerun = outagesim(shorter + " --force");
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  const auto again = read_json(out / "summary.json");
  EXPECT_EQ(again["status"], "complete");
  EXPECT_EQ(again["reached_s"], 3600);
  EXPECT_THAT(slurp(out / "report.html"), Not(HasSubstr("<strong>Interrupted</strong>")));
}

TEST(Interrupt, SigintEndsTheRunCleanlyWith130) { interrupt_and_rerun(SIGINT, 130, "SIGINT"); }

TEST(Interrupt, SigtermEndsTheRunCleanlyWith143) { interrupt_and_rerun(SIGTERM, 143, "SIGTERM"); }

TEST(Interrupt, ASecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstRuns) {
  const fs::path out = fresh_dir("two-runs");
  const fs::path err_file = fresh_dir("two-runs-err") / "err.txt";
  const pid_t first = spawn_outagesim(long_run_args(out), err_file);
  ASSERT_GT(first, 0);
  const auto start = Clock::now();
  while (!fs::exists(out / ".events.jsonl.tmp") && seconds_since(start) < 30)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const Outcome second = outagesim(fmt::format("run '{}' --out '{}' --seed 9", example("cdn-bad-push"), out.string()));
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_THAT(second.err, HasSubstr(out.string()));
  EXPECT_THAT(second.err, HasSubstr("another outagesim run"));
  ASSERT_EQ(kill(first, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(first, &status, 0), first);
  EXPECT_EQ(WEXITSTATUS(status), 143);
  // The first run's files, untouched by the second.
  const auto summary = read_json(out / "summary.json");
  EXPECT_EQ(summary["status"], "interrupted");
  EXPECT_EQ(summary["seed"], 42);
  EXPECT_EQ(read_json(out / "manifest.json")["seed"], 42);
}

TEST(Interrupt, ACompleteRunSaysSo) {
  const fs::path dir = run_example("cdn-bad-push");
  const auto summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["status"], "complete");
  EXPECT_EQ(summary["reached_s"], summary["duration_s"]);
}

TEST(Memory, ReplaysRunUnderOneGibibyteOfAddressSpace) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of shadow address space at start-up,
  // so no instrumented binary starts under a 1 GiB limit.
  GTEST_SKIP() << "address-space limits do not apply to an AddressSanitizer build";
#endif
  // With SimGrid's 8 MiB actor stacks, the Cloudflare replays aborted here
  // ("Failed to allocate stack", exit 134).
  for (const char* replay : {"cloudflare-2025-11-18", "cloudflare-2025-12-05"}) {
    const fs::path out = fresh_dir(std::string("ulimit-") + replay);
    const std::string command =
        fmt::format("ulimit -v 1048576 && '{}' run '{}/scenarios/incidents/{}.yaml' --out '{}' >/dev/null 2>&1",
                    OUTAGESIM_BINARY, OUTAGESIM_SOURCE_DIR, replay, out.string());
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << replay;
    EXPECT_EQ(WEXITSTATUS(status), 0) << replay;
    EXPECT_EQ(read_json(out / "summary.json")["status"], "complete") << replay;
  }
}

}  // namespace
}  // namespace outagesim::testing
