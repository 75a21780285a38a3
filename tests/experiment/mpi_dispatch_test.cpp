// The MPI dispatcher with a toy job, under mpirun (tests/CMakeLists.txt):
// every rank runs these tests in the same order, since dispatch() is
// collective; only rank 0 holds the results and asserts. The toy job forks
// a child per id, as sweep runs do, to show that workers may fork under MPI.
#include "sim/experiment/mpi_dispatch.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace outagesim::experiment {
namespace {

const MpiSession* session = nullptr;  // set by main(), for the life of the tests

/// id * id, computed in a forked child and read back through a pipe.
std::string square_in_a_child(std::size_t id) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork");
  if (child == 0) {
    close(fds[0]);
    const std::string text = std::to_string(id * id);
    const ssize_t written = write(fds[1], text.data(), text.size());
    _exit(written == static_cast<ssize_t>(text.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string text;
  char buffer[64];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("the child failed");
  return text;
}

/// "<square> rank<R>": the result and the rank that ran it.
std::string toy_job(std::size_t id) { return fmt::format("{} rank{}", square_in_a_child(id), session->rank()); }

TEST(MpiDispatch, EveryIdRunsOnceAndItsLineReachesRankZero) {
  std::vector<std::size_t> ids;
  for (std::size_t id = 0; id < 40; ++id) ids.push_back(id * 3 + 1);  // not 0..N-1: the ids given are the ids run
  std::map<std::size_t, std::string> lines;
  std::size_t calls = 0;
  dispatch(*session, ids, toy_job, [&](std::size_t id, const std::string& line) {
    ++calls;
    lines[id] = line;
  });
  if (session->rank() != 0) return;
  EXPECT_EQ(calls, ids.size());
  ASSERT_EQ(lines.size(), ids.size());
  std::set<std::string> ranks;
  for (std::size_t id : ids) {
    ASSERT_TRUE(lines.contains(id)) << id;
    const std::string& line = lines[id];
    EXPECT_EQ(line.substr(0, line.find(' ')), std::to_string(id * id)) << line;
    ranks.insert(line.substr(line.find(' ') + 1));
  }
  // Rank 0 coordinates; with workers, the jobs ran on them.
  if (session->size() > 1) {
    EXPECT_FALSE(ranks.contains("rank0"));
  }
}

TEST(MpiDispatch, ALongJobHoldsUpOnlyItsOwnRank) {
  if (session->size() < 3) GTEST_SKIP() << "needs two workers (mpirun -np 3)";
  // Job 0 takes 2 s, the 30 others 20 ms each: handed out as workers ask,
  // the other worker runs all 30 meanwhile. Split ahead of time (id % 2),
  // the worker with job 0 would still have 15 to run after it.
  std::vector<std::size_t> ids;
  for (std::size_t id = 0; id <= 30; ++id) ids.push_back(id);
  const auto job = [](std::size_t id) {
    std::this_thread::sleep_for(std::chrono::milliseconds(id == 0 ? 2000 : 20));
    return fmt::format("rank{}", session->rank());
  };
  std::map<std::string, int> jobs_per_rank;
  std::string rank_of_long_job;
  dispatch(*session, ids, job, [&](std::size_t id, const std::string& line) {
    ++jobs_per_rank[line];
    if (id == 0) rank_of_long_job = line;
  });
  if (session->rank() != 0) return;
  EXPECT_LE(jobs_per_rank[rank_of_long_job], 2) << "the rank running the long job was given others meanwhile";
  int total = 0;
  for (const auto& [rank, count] : jobs_per_rank) total += count;
  EXPECT_EQ(total, 31);
}

TEST(MpiDispatch, NoIdsEndsAtOnce) {
  std::size_t calls = 0;
  dispatch(*session, {}, toy_job, [&](std::size_t, const std::string&) { ++calls; });
  EXPECT_EQ(calls, 0u);
}

TEST(MpiDispatch, LinesMayHoldSpacesAndBeLong) {
  const std::string long_text(100000, 'x');
  std::map<std::size_t, std::string> lines;
  dispatch(
      *session, {7, 8}, [&](std::size_t id) { return fmt::format("a b  c {} {}", id, long_text); },
      [&](std::size_t id, const std::string& line) { lines[id] = line; });
  if (session->rank() != 0) return;
  EXPECT_EQ(lines[7], "a b  c 7 " + long_text);
  EXPECT_EQ(lines[8], "a b  c 8 " + long_text);
}

}  // namespace
}  // namespace outagesim::experiment

int main(int argc, char** argv) {
  const outagesim::experiment::MpiSession mpi;
  outagesim::experiment::session = &mpi;
  ::testing::InitGoogleTest(&argc, argv);
  // One report, from rank 0; the other ranks run the same tests silently.
  if (mpi.rank() != 0) delete ::testing::UnitTest::GetInstance()->listeners().Release(
      ::testing::UnitTest::GetInstance()->listeners().default_result_printer());
  const int failed = RUN_ALL_TESTS();
  return mpi.rank() == 0 ? failed : 0;
}
