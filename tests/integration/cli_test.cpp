// The real `outagesim` binary on real scenario files, as a user runs it.
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim {
namespace {

namespace fs = std::filesystem;

const std::string default_scenario = OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml";

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / fmt::format("outagesim-cli-{}-{}", getpid(), name);
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

/// Runs the CLI with `args` (already shell-quoted) in `cwd`.
Outcome outagesim(const std::string& args, const fs::path& cwd = fs::temp_directory_path()) {
  fs::path err_file = fresh_dir("stderr") / "err.txt";
  std::string command = fmt::format("cd '{}' && '{}' {} 2>'{}'", cwd.string(), OUTAGESIM_BINARY, args, err_file.string());
  Outcome o;
  FILE* pipe = popen(command.c_str(), "r");
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) o.out.append(buffer.data(), n);
  int status = pclose(pipe);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.err = slurp(err_file);
  return o;
}

nlohmann::json read_json(const fs::path& path) { return nlohmann::json::parse(slurp(path)); }

/// Global availability the scenario implies while its first bad version runs
/// everywhere: each hard site loses the capacity share of failing instances.
double implied_min_availability(const world::World& w) {
  const auto& fault = w.faults.at(0);
  const auto& service = w.services.at(static_cast<std::size_t>(w.channels.at(static_cast<std::size_t>(fault.channel)).service));
  double capacity = 0, failing = 0;
  for (int i : service.instances) {
    const auto& instance = w.instances[static_cast<std::size_t>(i)];
    capacity += instance.capacity_rps;
    failing += instance.capacity_rps * fault.error_rate_by_variant[static_cast<std::size_t>(instance.variant)];
  }
  double offered = 0, served = 0;
  for (const auto& site : w.sites) {
    bool hard = std::any_of(site.dependencies.begin(), site.dependencies.end(), [](const world::Dependency& d) {
      return d.rule == models::DependencyRule::hard;
    });
    offered += site.rps;
    served += site.rps * (hard ? 1 - failing / capacity : 1);
  }
  return served / offered;
}

/// An upper bound on how long any push of the scenario's channel takes to be
/// applied everywhere: every copy through the publisher's uplink one after the
/// other, one copy through the thinnest access link, the longest one-way
/// latency on Earth (under 0.2 s), and the apply delay.
double propagation_bound_s(const scenario::Scenario& s, const world::World& w) {
  const auto& channel_spec = s.providers.at(0).channels.at(0);
  const auto& service_spec = s.providers.at(0).services.at(0);
  const double size = w.faults.at(0).size_bytes;
  const double copies = static_cast<double>(w.instances.size());
  return copies * size / channel_spec.uplink_Bps + size / service_spec.access_bandwidth_Bps + 0.2 +
         channel_spec.apply_delay_s;
}

class DefaultRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fresh_dir("default"));
    outcome_ = new Outcome(outagesim(fmt::format("run '{}' --out '{}'", default_scenario, dir_->string())));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete outcome_;
  }
  static fs::path* dir_;
  static Outcome* outcome_;
  scenario::Scenario scenario_ = scenario::load(default_scenario);
  world::World world_ = world::build(scenario_);
};
fs::path* DefaultRun::dir_ = nullptr;
Outcome* DefaultRun::outcome_ = nullptr;

TEST_F(DefaultRun, ExitsCleanlyAndWritesTheRunDirectory) {
  ASSERT_EQ(outcome_->exit_code, 0) << outcome_->err;
  for (const char* file : {"summary.json", "timeseries.csv", "events.jsonl", "report.html", "manifest.json"})
    EXPECT_TRUE(fs::exists(*dir_ / file)) << file;
  for (const auto& entry : fs::directory_iterator(*dir_))
    EXPECT_NE(entry.path().filename().string().front(), '.') << "temporary left: " << entry.path();
  EXPECT_NE(outcome_->out.find("report         " + (*dir_ / "report.html").string()), std::string::npos)
      << outcome_->out;
  EXPECT_NE(slurp(*dir_ / "report.html").find("<svg id=\"chart-global-availability\""), std::string::npos);
}

TEST_F(DefaultRun, ImpactStartsAfterThePushWithinThePropagationBound) {
  auto m = read_json(*dir_ / "summary.json")["metrics"];
  const double push = world_.faults[0].at_s;
  ASSERT_TRUE(m["impact_start"].is_number());
  const double start = m["impact_start"];
  EXPECT_GT(start, push);
  EXPECT_LE(start, push + propagation_bound_s(scenario_, world_) + scenario_.output.resolution_s);
  EXPECT_EQ(m["faults"]["bad-feature-file"]["injected_at"], push);
  const double reach_t95 = m["channels"]["cdn.features"]["reach_t95"];
  EXPECT_GT(reach_t95, 0);
  EXPECT_LE(reach_t95, propagation_bound_s(scenario_, world_));
}

TEST_F(DefaultRun, MinimumAvailabilityIsWhatTheAffectedShareImplies) {
  auto m = read_json(*dir_ / "summary.json")["metrics"];
  EXPECT_NEAR(m["availability_min"].get<double>(), implied_min_availability(world_), 1e-12);
  EXPECT_EQ(m["sites_affected"], 6);  // every hard-dependent site; the soft one stays up
}

TEST_F(DefaultRun, AvailabilityReturnsToOneAfterTheRevertPropagated) {
  auto m = read_json(*dir_ / "summary.json")["metrics"];
  const double revert = world_.actions.at(0).at_s;
  ASSERT_TRUE(m["impact_end"].is_number());
  const double end = m["impact_end"];
  EXPECT_GT(end, revert);
  EXPECT_LE(end, revert + propagation_bound_s(scenario_, world_) + scenario_.output.resolution_s);
  EXPECT_EQ(m["faults"]["bad-feature-file"]["mitigated_at"], revert);

  // The last global availability sample is back at exactly 1.
  std::istringstream csv(slurp(*dir_ / "timeseries.csv"));
  std::string line, last_global;
  while (std::getline(csv, line))
    if (line.find(",global,,availability,") != std::string::npos) last_global = line;
  EXPECT_EQ(last_global.substr(last_global.rfind(',') + 1), "1");
}

TEST_F(DefaultRun, EventsCarryTheirCause) {
  std::istringstream events(slurp(*dir_ / "events.jsonl"));
  std::string line;
  int applied = 0;
  while (std::getline(events, line)) {
    auto e = nlohmann::json::parse(line);
    ASSERT_TRUE(e.contains("t") && e.contains("time_utc") && e.contains("entity") && e.contains("cause"));
    if (e["kind"] == "config_applied") {
      ++applied;
      EXPECT_TRUE(e["cause"] == "fault:bad-feature-file" || e["cause"] == "operator:cdn-sre") << line;
    }
  }
  EXPECT_EQ(applied, 2 * 30);  // every PoP applies the bad version and the revert
}

TEST(Cli, SameSeedGivesByteIdenticalFiles) {
  fs::path a = fresh_dir("det-a"), b = fresh_dir("det-b");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}'", default_scenario, a.string())).exit_code, 0);
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}'", default_scenario, b.string())).exit_code, 0);
  for (const char* file : {"summary.json", "timeseries.csv", "events.jsonl", "report.html"})
    EXPECT_EQ(slurp(a / file), slurp(b / file)) << file;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, BadScenarioExitsTwoWithFileLineColumnAndWritesNothing) {
  fs::path dir = fresh_dir("bad");
  fs::path file = dir / "bad.yaml";
  std::string text = slurp(default_scenario);
  text.replace(text.find("capacity: 200k rps"), 18, "capacty: 200k rps");
  std::ofstream(file) << text;
  fs::path out = dir / "out";
  Outcome o = outagesim(fmt::format("run '{}' --out '{}'", file.string(), out.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find(file.string() + ":24:9: error: unknown key 'capacty'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("did you mean 'capacity'?"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(outagesim(fmt::format("validate '{}'", file.string())).exit_code, 2);
  fs::remove_all(dir);
}

TEST(Cli, ValidateOnBadCorpusFilesExitsTwoWithTheGoldenFirstLine) {
  // Three cases of tests/scenario/bad: their .expected files name the file by
  // its basename; the CLI names it as given on the command line.
  const fs::path corpus = fs::path(OUTAGESIM_SOURCE_DIR) / "tests" / "scenario" / "bad";
  for (const char* name : {"06-unknown-key-service", "32-site-target-unknown", "71-several-unit-errors"}) {
    const fs::path yaml = corpus / (std::string(name) + ".yaml");
    std::istringstream expected(slurp(corpus / (std::string(name) + ".expected")));
    std::string first_line;
    ASSERT_TRUE(std::getline(expected, first_line)) << name;
    ASSERT_EQ(first_line.rfind(yaml.filename().string() + ":", 0), 0u) << first_line;
    first_line.replace(0, yaml.filename().string().size(), yaml.string());
    Outcome o = outagesim(fmt::format("validate '{}'", yaml.string()));
    EXPECT_EQ(o.exit_code, 2) << name << "\n" << o.err;
    EXPECT_NE(o.err.find(first_line + "\n"), std::string::npos) << "expected:\n" << first_line << "\ngot:\n" << o.err;
  }
}

TEST(Cli, MissingFileAndBadArgumentsExitTwo) {
  EXPECT_EQ(outagesim("run /nonexistent/scenario.yaml").exit_code, 2);
  EXPECT_EQ(outagesim("run").exit_code, 2);
  EXPECT_EQ(outagesim("frobnicate").exit_code, 2);
  Outcome o = outagesim(fmt::format("validate '{}' --set faults[0].at=+9h", default_scenario));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--set: error: time is outside the run"), std::string::npos) << o.err;
}

TEST(Cli, SetAndSeedChangeTheRun) {
  fs::path dir = fresh_dir("set");
  Outcome o = outagesim(fmt::format("run '{}' --out '{}' --seed 9 --set faults[0].at=+30m", default_scenario, dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  auto summary = read_json(dir / "summary.json");
  EXPECT_EQ(summary["seed"], 9);
  EXPECT_EQ(summary["metrics"]["faults"]["bad-feature-file"]["injected_at"], 1800.0);
  EXPECT_GT(summary["metrics"]["impact_start"].get<double>(), 1800.0);
  auto manifest = read_json(dir / "manifest.json");
  EXPECT_EQ(manifest["overrides"][0], "faults[0].at=+30m");
  fs::remove_all(dir);
}

TEST(Cli, DefaultRunDirectoryIsRunsScenarioSeed) {
  fs::path cwd = fresh_dir("cwd");
  ASSERT_EQ(outagesim(fmt::format("run '{}'", default_scenario), cwd).exit_code, 0);
  EXPECT_TRUE(fs::exists(cwd / "runs" / "cdn-bad-push-42" / "summary.json"));
  fs::remove_all(cwd);
}

TEST(Cli, ValidatePrintsWhatItUnderstood) {
  Outcome o = outagesim(fmt::format("validate '{}'", default_scenario));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("service cdn.proxy: 30 instances (9 fl1, 21 fl2)"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("channel cdn.features: 2e+06 bytes to proxy, broadcast topology, global rollout"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("2025-11-18T11:20:00Z (+1200 s)  fault bad-feature-file"), std::string::npos) << o.out;
}

TEST(Cli, VersionAndHelp) {
  Outcome v = outagesim("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("outagesim ", 0), 0u) << v.out;
  Outcome h = outagesim("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("outagesim run scenarios/examples/cdn-bad-push.yaml"), std::string::npos);
  EXPECT_NE(h.out.find("outagesim validate"), std::string::npos);
  Outcome rh = outagesim("run --help");
  EXPECT_NE(rh.out.find("Example:"), std::string::npos);
}

}  // namespace
}  // namespace outagesim
