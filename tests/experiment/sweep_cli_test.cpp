// `outagesim sweep` through the real binary: spec errors with their
// location, results byte-identical across --jobs, a sweep killed with
// SIGKILL resumed by the same command, failed runs (timeout, a signal, the
// memory limit) recorded while the sweep goes on, and every example spec
// of scenarios/sweeps/ on a small design.
#include "../integration/cli_runner.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

namespace outagesim::testing {
namespace {

std::string scenario_path(const std::string& relative) { return fmt::format("{}/scenarios/{}", OUTAGESIM_SOURCE_DIR, relative); }

/// Writes a spec into a fresh directory and returns its path.
fs::path write_spec(const std::string& name, const std::string& text) {
  const fs::path dir = fresh_dir("spec-" + name);
  std::ofstream(dir / "spec.yaml") << text;
  return dir / "spec.yaml";
}

std::string seeds_spec(int replications, const std::string& base = "incidents/cloudflare-2025-12-05.yaml",
                       const std::string& extra = "") {
  return fmt::format(
      "name: test\nbase: {}\nreplications: {}\nmetrics:\n  - {{name: availability_min, summary: availability_min}}\n"
      "  - {{name: down_at, scope: global, metric: availability, derive: first_below, threshold: 0.99}}\n{}",
      scenario_path(base), replications, extra);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Starts `outagesim sweep spec --out out --jobs jobs` in the background.
pid_t start_sweep(const fs::path& spec, const fs::path& out, int jobs) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string jobs_text = std::to_string(jobs);
    freopen("/dev/null", "w", stdout);
    execl(OUTAGESIM_BINARY, OUTAGESIM_BINARY, "sweep", spec.c_str(), "--out", out.c_str(), "--jobs", jobs_text.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

/// The processes whose parent is `parent`.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0) continue;
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) children.push_back(pid);
  }
  closedir(proc);
  return children;
}

template <class Predicate>
bool wait_for(Predicate done, double seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(SweepCli, SpecErrorsAreReportedWithTheirLocationAndNothingIsWritten) {
  const fs::path spec = write_spec("errors", fmt::format(R"(name: bad
base: {}
parameters:
  - {{path: params.managed_ruleset_share, values: [30%, 150%]}}
  - {{path: params.no_such_param, values: [1]}}
metrics:
  - {{name: a, summary: availability_mn}}
  - {{name: b, scope: site, entity: http-trafic, metric: availability, derive: minimum}}
)",
                                                         scenario_path("incidents/cloudflare-2025-12-05.yaml")));
  const fs::path out = fresh_dir("errors-out") / "sweep";
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}'", spec.string(), out.string()));
  EXPECT_EQ(o.exit_code, 2) << o.err;
  const std::string file = spec.string();
  EXPECT_NE(o.err.find(file + ":4:5: error: params.managed_ruleset_share=150% is refused by the base scenario"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find(file + ":5:6: error: the base scenario has no parameter 'no_such_param'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(file + ":7:15: error: summary.json of"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("did you mean 'availability_min'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(file + ":8:5: error: timeseries.csv of"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("did you mean 'http-traffic'"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(SweepCli, ResultsAreByteIdenticalForOneAndTwoJobs) {
  const fs::path spec = write_spec("jobs", fmt::format(R"(name: jobs
base: {}
design: {{kind: latin_hypercube, n: 3}}
replications: 2
parameters:
  - {{path: params.managed_ruleset_share, dist: triangular, min: 30%, mode: 56%, max: 70%}}
metrics:
  - {{name: availability_min, summary: availability_min}}
  - {{name: failed, scope: global, metric: failed_rps, derive: integral, from: 15m, to: 45m}}
)",
                                                       scenario_path("incidents/cloudflare-2025-12-05.yaml")));
  const fs::path one = fresh_dir("jobs1"), two = fresh_dir("jobs2");
  const Outcome a = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 1", spec.string(), one.string()));
  const Outcome b = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 2", spec.string(), two.string()));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* file : {"results.csv", "summary.csv", "sensitivity.csv", "failures.csv"})
    EXPECT_EQ(slurp(one / file), slurp(two / file)) << file;
  const auto rows = lines_of(slurp(one / "results.csv"));
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], "id,point,replication,seed,params.managed_ruleset_share,status,availability_min,failed");
  for (std::size_t id = 0; id < 6; ++id) EXPECT_EQ(rows[id + 1].substr(0, 2), fmt::format("{},", id));
  // More of the managed ruleset fails more traffic: the rank correlation is +1.
  EXPECT_NE(slurp(one / "sensitivity.csv").find("params.managed_ruleset_share,failed,spearman,1,"), std::string::npos)
      << slurp(one / "sensitivity.csv");
  const auto manifest = read_json(one / "manifest.json");
  EXPECT_EQ(manifest["runs"], 6);
  EXPECT_EQ(manifest["points"], 3);
  EXPECT_EQ(manifest["failed"], 0);
}

TEST(SweepCli, AKeptRunDirectoryHoldsTheSameNumbersAsItsRow) {
  const fs::path spec = write_spec("keep", seeds_spec(2));
  const fs::path out = fresh_dir("keep-out");
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}' --keep-run 1", spec.string(), out.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_FALSE(fs::exists(out / "runs" / "0"));
  const auto summary = read_json(out / "runs" / "1" / "summary.json");
  const auto row = lines_of(slurp(out / "results.csv"))[2];
  EXPECT_EQ(row.substr(0, 2), "1,");
  EXPECT_NE(row.find(fmt::format(",ok,{},", summary["metrics"]["availability_min"].get<double>())), std::string::npos)
      << row;
  std::vector<std::string> columns;
  std::istringstream fields(row);
  for (std::string field; std::getline(fields, field, ',');) columns.push_back(field);
  EXPECT_EQ(fmt::format("{}", summary["seed"].get<std::uint64_t>()), columns.at(3));
}

TEST(SweepCli, AKeptRunOfASeedEnsembleIsWhatARunOfItsOwnWrites) {
  // A seed ensemble's child starts from the parent's checked scenario with
  // another seed; `outagesim run --seed` reads the file. Same numbers, same
  // timeseries and events, for a scenario whose runs draw from the seed.
  const fs::path spec = write_spec("prepared", seeds_spec(2, "incidents/cloudflare-2025-11-18.yaml"));
  const fs::path out = fresh_dir("prepared-out");
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}' --keep-run 1", spec.string(), out.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto kept = read_json(out / "runs" / "1" / "summary.json");
  const fs::path alone = fresh_dir("prepared-alone");
  const Outcome run = outagesim(fmt::format("run '{}' --seed {} --out '{}'", scenario_path("incidents/cloudflare-2025-11-18.yaml"),
                                            kept["seed"].get<std::uint64_t>(), (alone / "run").string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_json(alone / "run" / "summary.json")["metrics"], kept["metrics"]);
  EXPECT_EQ(slurp(alone / "run" / "timeseries.csv"), slurp(out / "runs" / "1" / "timeseries.csv"));
  EXPECT_EQ(slurp(alone / "run" / "events.jsonl"), slurp(out / "runs" / "1" / "events.jsonl"));
}

TEST(SweepCli, ASweepKilledWithSigkillResumesWithoutRedoingOrLosingRuns) {
  const int runs = 10;
  const fs::path spec = write_spec("resume", seeds_spec(runs));
  const fs::path out = fresh_dir("resume-out");
  const pid_t sweep = start_sweep(spec, out, 2);
  const fs::path journal = out / "journal.jsonl";
  auto journal_lines = [&] { return lines_of(slurp(journal)).size(); };
  ASSERT_TRUE(wait_for([&] { return fs::exists(journal) && journal_lines() >= 3; }, 120)) << "no run finished";
  const std::vector<pid_t> running = children_of(sweep);
  ASSERT_EQ(kill(sweep, SIGKILL), 0);
  int status = 0;
  waitpid(sweep, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Its runs end with it (PDEATHSIG): none is left running or writing.
  EXPECT_TRUE(wait_for(
      [&] { return std::none_of(running.begin(), running.end(), [](pid_t pid) { return kill(pid, 0) == 0; }); }, 10));
  const std::size_t before = journal_lines() - 1;
  ASSERT_LT(before, static_cast<std::size_t>(runs)) << "the sweep finished before it was killed";
  EXPECT_FALSE(fs::exists(out / "results.csv"));

  const Outcome resumed = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 2", spec.string(), out.string()));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find(fmt::format("({} from the journal)", before)), std::string::npos) << resumed.out;
  // Every run once in the journal: none redone, none lost.
  std::set<int> ids;
  const auto lines = lines_of(slurp(journal));
  EXPECT_EQ(lines.size(), static_cast<std::size_t>(runs) + 1);
  for (std::size_t k = 1; k < lines.size(); ++k) ids.insert(nlohmann::json::parse(lines[k])["id"].get<int>());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(runs));

  const fs::path straight = fresh_dir("resume-straight");
  ASSERT_EQ(outagesim(fmt::format("sweep '{}' --out '{}' --jobs 1", spec.string(), straight.string())).exit_code, 0);
  EXPECT_EQ(slurp(out / "results.csv"), slurp(straight / "results.csv"));
  EXPECT_EQ(slurp(out / "summary.csv"), slurp(straight / "summary.csv"));

  // A finished sweep run again redoes nothing.
  const Outcome again = outagesim(fmt::format("sweep '{}' --out '{}'", spec.string(), out.string()));
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find(fmt::format("({} from the journal)", runs)), std::string::npos) << again.out;
}

TEST(SweepCli, AnotherSpecCannotResumeTheJournal) {
  const fs::path out = fresh_dir("other-out");
  ASSERT_EQ(outagesim(fmt::format("sweep '{}' --out '{}'", write_spec("a", seeds_spec(1)).string(), out.string())).exit_code, 0);
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}'", write_spec("b", seeds_spec(2)).string(), out.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("the journal of another sweep"), std::string::npos) << o.err;
}

TEST(SweepCli, AnEditedBaseScenarioCannotResumeTheJournal) {
  // The same spec over a base that changed between the two commands: the
  // old runs were made from another scenario and must not be mixed in.
  const fs::path dir = fresh_dir("edited-base");
  const std::string original = slurp(example("cdn-bad-push"));
  std::ofstream(dir / "base.yaml") << original;
  std::ofstream(dir / "spec.yaml") << "name: test\nbase: base.yaml\nreplications: 2\nmetrics:\n"
                                      "  - {name: availability_min, summary: availability_min}\n";
  const fs::path out = dir / "out";
  ASSERT_EQ(outagesim(fmt::format("sweep '{}' --out '{}'", (dir / "spec.yaml").string(), out.string())).exit_code, 0);
  const std::string results = slurp(out / "results.csv");
  std::ofstream(dir / "base.yaml", std::ios::trunc) << original << "\n# edited\n";
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}'", (dir / "spec.yaml").string(), out.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("the journal of another sweep"), std::string::npos) << o.err;
  EXPECT_EQ(slurp(out / "results.csv"), results);  // nothing rewritten
}

TEST(SweepCli, RunsPastTheTimeoutAreRecordedAsFailedAndTheSweepGoesOn) {
  const fs::path spec = write_spec("timeout", seeds_spec(2, "incidents/aws-us-east-1-2025-10-20.yaml", "timeout: 20ms\n"));
  const fs::path out = fresh_dir("timeout-out");
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 2", spec.string(), out.string()));
  EXPECT_EQ(o.exit_code, 3) << o.err;
  EXPECT_NE(o.err.find("outagesim: 2 of 2 runs failed"), std::string::npos) << o.err;
  const auto rows = lines_of(slurp(out / "results.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[1].ends_with(",timeout,,")) << rows[1];
  EXPECT_TRUE(rows[2].ends_with(",timeout,,")) << rows[2];
  EXPECT_NE(slurp(out / "failures.csv").find("0,timeout,"), std::string::npos);
}

TEST(SweepCli, ARunKilledByASignalIsRecordedWithItsStderrTail) {
  const fs::path spec = write_spec("signal", seeds_spec(2, "incidents/aws-us-east-1-2025-10-20.yaml"));
  const fs::path out = fresh_dir("signal-out");
  const pid_t sweep = start_sweep(spec, out, 1);
  std::vector<pid_t> children;
  ASSERT_TRUE(wait_for([&] { return !(children = children_of(sweep)).empty(); }, 30));
  // SIGABRT rather than SIGSEGV: AddressSanitizer catches SEGV in the child
  // (and exits), but leaves abort to the default action, so the test reads the
  // same in every build.
  ASSERT_EQ(kill(children.front(), SIGABRT), 0);
  int status = 0;
  waitpid(sweep, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const std::string failures = slurp(out / "failures.csv");
  EXPECT_NE(failures.find("0,failed,"), std::string::npos) << failures;
  EXPECT_NE(failures.find("killed by signal 6 (ABRT)"), std::string::npos) << failures;
  const auto rows = lines_of(slurp(out / "results.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[2].find(",ok,"), std::string::npos) << "the sweep went on: " << rows[2];
}

#if !defined(__SANITIZE_ADDRESS__)
TEST(SweepCli, ARunPastTheMemoryLimitIsRecordedAsMemory) {
  const fs::path spec = write_spec("memory", seeds_spec(1, "incidents/cloudflare-2025-12-05.yaml", "memory_limit: 64MB\n"));
  const fs::path out = fresh_dir("memory-out");
  const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}'", spec.string(), out.string()));
  EXPECT_EQ(o.exit_code, 3) << o.err;
  EXPECT_TRUE(lines_of(slurp(out / "results.csv"))[1].ends_with(",memory,,")) << slurp(out / "results.csv");
}
#endif

/// Every example spec, with its replications and Morris trajectories cut to the smallest design.
TEST(SweepCli, EveryExampleSpecRunsOnASmallDesign) {
  const fs::path examples = fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios" / "sweeps";
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(examples)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    std::string text = slurp(entry.path());
    text = std::regex_replace(text, std::regex("replications: \\d+"), "replications: 1");
    text = std::regex_replace(text, std::regex("trajectories: \\d+"), "trajectories: 2");
    text = std::regex_replace(text, std::regex("latin_hypercube, n: \\d+"), "latin_hypercube, n: 2");
    text = std::regex_replace(text, std::regex("base: \\.\\./"), fmt::format("base: {}/scenarios/", OUTAGESIM_SOURCE_DIR));
    const std::string name = entry.path().stem().string();
    const fs::path spec = write_spec(name, text);
    const fs::path out = fresh_dir("example-" + name);
    const Outcome o = outagesim(fmt::format("sweep '{}' --out '{}' --jobs 2", spec.string(), out.string()));
    EXPECT_EQ(o.exit_code, 0) << name << ": " << o.err;
    const auto manifest = read_json(out / "manifest.json");
    EXPECT_EQ(manifest["failed"], 0) << name;
    EXPECT_GE(manifest["runs"].get<int>(), 1) << name;
    const std::string report = slurp(out / "report.html");
    EXPECT_NE(report.find("<h1>Sweep "), std::string::npos) << name;
    for (const char* fetch : {"<script", "src=\"http", "href=\"http", "url("})
      EXPECT_EQ(report.find(fetch), std::string::npos) << name << ": the report fetches nothing (" << fetch << ")";
    // Every metric has a value in the ok runs of the replay (a metric that is always empty is a bad example).
    const auto rows = lines_of(slurp(out / "results.csv"));
    EXPECT_EQ(rows.size(), manifest["runs"].get<std::size_t>() + 1) << name;
  }
  EXPECT_EQ(count, 11u);
}

}  // namespace
}  // namespace outagesim::testing
