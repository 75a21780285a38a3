// A small sweep run the cluster ways (docs/clusters.md) against the local
// `--jobs 1` run: under mpirun over three ranks, and as two shards merged.
// Each must give byte-identical results.csv and summary.csv; merges that
// would not make one whole sweep are refused with exit code 2.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace outagesim::testing {
namespace {

using ::testing::HasSubstr;

/// `mpirun ARGS` as CI runs it (as root, more ranks than cores), from the
/// temporary directory, with the LeakSanitizer suppressions for Open MPI
/// (tests/experiment/openmpi.lsan.supp; used only by sanitizer builds).
Outcome outagesim_under_mpirun(const std::string& args) {
  const fs::path err_file = fresh_dir("mpirun-stderr") / "err.txt";
  const std::string command = fmt::format("cd '{}' && {} {} {} 2>'{}'", fs::temp_directory_path().string(),
                                          OUTAGESIM_MPI_TEST_ENVIRONMENT, OUTAGESIM_MPIRUN, args, err_file.string());
  Outcome o = shell(command);
  o.err = slurp(err_file);
  return o;
}

/// Three points of the default example, two replications each: six runs.
fs::path write_spec(const fs::path& dir, const std::string& name = "spec.yaml", int seed = 3) {
  const fs::path spec = dir / name;
  std::ofstream(spec) << fmt::format(R"(name: tiny
base: {}
seed: {}
replications: 2
parameters:
  - path: faults[0].at
    values: [+20m, +30m, +40m]
metrics:
  - {{name: availability_min, summary: availability_min}}
  - {{name: failed_requests, summary: failed_requests}}
timeout: 120s
)",
                                     example("cdn-bad-push"), seed);
  return spec;
}

/// The local reference: `outagesim sweep SPEC --out DIR/local --jobs 1`.
fs::path local_run(const fs::path& dir, const fs::path& spec) {
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}/local' --jobs 1", spec.string(), dir.string()));
  if (o.exit_code != 0) throw std::runtime_error("local sweep failed: " + o.err);
  return dir / "local";
}

void expect_same_results(const fs::path& a, const fs::path& b) {
  for (const char* file : {"results.csv", "summary.csv", "sensitivity.csv", "failures.csv"}) {
    ASSERT_TRUE(fs::exists(b / file)) << b / file;
    EXPECT_EQ(slurp(a / file), slurp(b / file)) << file;
  }
  EXPECT_THAT(slurp(a / "results.csv"), HasSubstr("\n5,"));  // six rows: the comparison is not of empty files
}

/// The run ids of a journal's records.
std::set<std::size_t> journal_ids(const fs::path& dir) {
  std::set<std::size_t> ids;
  std::istringstream lines(slurp(dir / "journal.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("id")) ids.insert(j["id"].get<std::size_t>());
  }
  return ids;
}

TEST(SweepCluster, MpiOverThreeRanksGivesTheLocalResults) {
  if (std::string(OUTAGESIM_MPIRUN).empty()) GTEST_SKIP() << "no MPI (scripts/install-deps.sh installs Open MPI)";
  const fs::path dir = fresh_dir("sweep-mpi");
  const fs::path spec = write_spec(dir);
  const fs::path local = local_run(dir, spec);
  const Outcome o = outagesim_under_mpirun(fmt::format("-np 3 '{}' sweep '{}' --mpi --out '{}/mpi'", OUTAGESIM_BINARY,
                                                       spec.string(), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("sweep tiny: 6 runs, 0 failed"));
  // Rank 0 alone reports: one summary line, not three.
  EXPECT_EQ(o.out.find("sweep tiny"), o.out.rfind("sweep tiny")) << o.out;
  expect_same_results(local, dir / "mpi");
  EXPECT_EQ(journal_ids(dir / "mpi"), (std::set<std::size_t>{0, 1, 2, 3, 4, 5}));

  // Run again: everything is in the journal, nothing runs, same results.
  const Outcome again = outagesim_under_mpirun(fmt::format("-np 3 '{}' sweep '{}' --mpi --out '{}/mpi'",
                                                           OUTAGESIM_BINARY, spec.string(), dir.string()));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("(6 from the journal)"));
  expect_same_results(local, dir / "mpi");
  fs::remove_all(dir);
}

TEST(SweepCluster, TwoShardsMergedGiveTheLocalResults) {
  const fs::path dir = fresh_dir("sweep-shards");
  const fs::path spec = write_spec(dir);
  const fs::path local = local_run(dir, spec);
  for (int i : {1, 0}) {  // any order
    const Outcome o =
        outagesim(fmt::format("sweep '{}' --shard {}/2 --out '{}/shard{}' --jobs 1", spec.string(), i, dir.string(), i));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_THAT(o.out, HasSubstr(fmt::format("shard {}/2: 3 runs", i)));
    EXPECT_FALSE(fs::exists(dir / fmt::format("shard{}", i) / "results.csv"));  // outputs come from the merge
  }
  // The documented rule: shard I of N runs the ids with id % N == I.
  EXPECT_EQ(journal_ids(dir / "shard0"), (std::set<std::size_t>{0, 2, 4}));
  EXPECT_EQ(journal_ids(dir / "shard1"), (std::set<std::size_t>{1, 3, 5}));

  const Outcome merged =
      outagesim(fmt::format("sweep-merge '{0}/shard0' '{0}/shard1' --out '{0}/merged'", dir.string()));
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_THAT(merged.out, HasSubstr("6 runs from 2 shards, 0 failed"));
  expect_same_results(local, dir / "merged");
  EXPECT_EQ(slurp(local / "report.html"), slurp(dir / "merged" / "report.html"));
  // The merged directory is a whole sweep's: the local command finds it finished.
  const Outcome resumed = outagesim(fmt::format("sweep '{}' --out '{}/merged'", spec.string(), dir.string()));
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("(6 from the journal)"));
  fs::remove_all(dir);
}

TEST(SweepCluster, MergeRefusesShardsThatDoNotMakeOneSweep) {
  const fs::path dir = fresh_dir("sweep-bad-merge");
  const fs::path spec = write_spec(dir);
  const fs::path other = write_spec(dir, "other.yaml", 4);
  auto shard = [&](const fs::path& s, const std::string& which, const std::string& out) {
    ASSERT_EQ(outagesim(fmt::format("sweep '{}' --shard {} --out '{}/{}' --jobs 1", s.string(), which, dir.string(), out))
                  .exit_code,
              0);
  };
  shard(spec, "0/2", "a0");
  shard(spec, "1/2", "a1");
  shard(other, "1/2", "b1");
  auto merge = [&](const std::string& dirs) {
    return outagesim(fmt::format("sweep-merge {} --out '{}/merged'", dirs, dir.string()), dir);
  };
  Outcome o = merge("a0 b1");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("a0 and b1 come from different sweeps: spec hash"));
  o = merge("a0");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("shard 1/2 is missing"));
  o = merge("a0 a0 a1");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("are both shard 0/2"));
  o = merge("a0 local-does-not-exist");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("local-does-not-exist: not a shard directory"));
  // An unfinished shard: its last run's line cut from the journal.
  std::string journal = slurp(dir / "a1" / "journal.jsonl");
  journal.erase(journal.rfind('\n', journal.size() - 2) + 1);
  std::ofstream(dir / "a1" / "journal.jsonl", std::ios::trunc) << journal;
  o = merge("a0 a1");
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("a1 (shard 1/2) lacks 1 of its runs (5)"));
  EXPECT_FALSE(fs::exists(dir / "merged" / "results.csv"));
  // Running its command again resumes it, and the merge then works.
  shard(spec, "1/2", "a1");
  EXPECT_EQ(merge("a0 a1").exit_code, 0);
  // A shard into another shard's directory is refused too.
  o = outagesim(fmt::format("sweep '{}' --shard 1/2 --out '{}/a0'", spec.string(), dir.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("it holds shard 0/2"));
  fs::remove_all(dir);
}

/// The risk map of small-web.yaml for two templates (8 cases and the baseline), run locally
/// with one job: the reference for the cluster ways of running it.
fs::path local_risk_map(const fs::path& dir) {
  const Outcome o = outagesim(fmt::format("risk '{}/scenarios/risk/small-web.yaml' --fault outage --fault bad_push "
                                          "--out '{}/local' --jobs 1",
                                          OUTAGESIM_SOURCE_DIR, dir.string()));
  if (o.exit_code != 0) throw std::runtime_error("local risk map failed: " + o.err);
  return dir / "local";
}

void expect_same_ranking(const fs::path& a, const fs::path& b) {
  for (const char* file : {"risk.csv", "concentration.csv", "risk.html"}) {
    ASSERT_TRUE(fs::exists(b / file)) << b / file;
    EXPECT_EQ(slurp(a / file), slurp(b / file)) << file;
  }
  EXPECT_THAT(slurp(a / "risk.csv"), HasSubstr("cloudflare.features"));  // not a comparison of empty maps
}

TEST(RiskCluster, MpiOverThreeRanksRanksAsTheLocalMap) {
  if (std::string(OUTAGESIM_MPIRUN).empty()) GTEST_SKIP() << "no MPI (scripts/install-deps.sh installs Open MPI)";
  const fs::path dir = fresh_dir("risk-mpi");
  const fs::path local = local_risk_map(dir);
  const Outcome o = outagesim_under_mpirun(
      fmt::format("-np 3 '{}' risk '{}/scenarios/risk/small-web.yaml' --fault outage --fault bad_push --mpi --out '{}/mpi'",
                  OUTAGESIM_BINARY, OUTAGESIM_SOURCE_DIR, dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // Rank 0 alone reports: one summary line, not three.
  EXPECT_THAT(o.out, HasSubstr("risk small-web: 8 cases, 9 runs, 0 failed"));
  EXPECT_EQ(o.out.find("risk small-web"), o.out.rfind("risk small-web")) << o.out;
  expect_same_ranking(local, dir / "mpi");
  fs::remove_all(dir);
}

TEST(RiskCluster, PreparedMapRunAsShardsAndMergedRanksAsTheLocalMap) {
  const fs::path dir = fresh_dir("risk-shards");
  const fs::path local = local_risk_map(dir);
  const std::string risk = fmt::format("risk '{}/scenarios/risk/small-web.yaml' --fault outage --fault bad_push "
                                       "--out '{}/cluster'",
                                       OUTAGESIM_SOURCE_DIR, dir.string());
  Outcome o = outagesim(risk + " --prepare");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("8 cases, 9 runs prepared in"));
  const fs::path spec = dir / "cluster" / "experiment" / "risk-sweep.yaml";
  ASSERT_TRUE(fs::exists(spec));
  EXPECT_FALSE(fs::exists(dir / "cluster" / "experiment" / "journal.jsonl"));  // prepared, nothing run
  EXPECT_FALSE(fs::exists(dir / "cluster" / "risk.csv"));
  // As scenarios/sweeps/slurm/ runs a spec: two shards, merged into the map's own sweep directory.
  for (int i : {0, 1})
    ASSERT_EQ(outagesim(fmt::format("sweep '{}' --shard {}/2 --out '{}/slurm/shard-{}' --jobs 1", spec.string(), i,
                                    dir.string(), i))
                  .exit_code,
              0);
  o = outagesim(fmt::format("sweep-merge '{0}/slurm/shard-0' '{0}/slurm/shard-1' --out '{0}/cluster/experiment'",
                            dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  o = outagesim(risk);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("9 runs (9 from the journal), 0 failed"));  // ranked, nothing run again
  expect_same_ranking(local, dir / "cluster");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outagesim::testing
