// The real `outagesim` binary on real scenario files, as a user runs it.
#include "cli_runner.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/world/world.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace outagesim {
namespace {

using namespace outagesim::testing;

const std::string default_scenario = OUTAGESIM_SOURCE_DIR "/scenarios/examples/cdn-bad-push.yaml";

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
  for (const char* file : {"summary.json", "timeseries.csv", "events.jsonl", "attribution.csv", "report.html",
                           "manifest.json"})
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
  const double revert = *world_.actions.at(0).at_s;
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

TEST_F(DefaultRun, FailedRatesByScopeFollowTheAvailability) {
  // At the worst sample, the proxy service fails its affected share of all
  // the load the sites send it, and each hard-dependent site the same share
  // of its own rate.
  const auto availability = read_series(*dir_, "service", "cdn.proxy", "availability");
  const auto failed = read_series(*dir_, "service", "cdn.proxy", "failed_rps");
  const auto provider = read_series(*dir_, "provider", "cdn", "failed_rps");
  const auto shop = read_series(*dir_, "site", "shop.example", "failed_rps");
  ASSERT_EQ(failed.size(), availability.size());
  double offered = 0;
  for (const auto& site : world_.sites) offered += site.rps;
  const auto worst = static_cast<std::size_t>(
      std::min_element(availability.begin(), availability.end(), [](const auto& a, const auto& b) { return a.second < b.second; }) -
      availability.begin());
  EXPECT_NEAR(failed[worst].second, offered * (1 - availability[worst].second), 1e-6);
  EXPECT_NEAR(provider[worst].second, failed[worst].second, 1e-6);
  EXPECT_NEAR(shop[worst].second, 12e3 * (1 - availability[worst].second), 1e-6);
  EXPECT_DOUBLE_EQ(failed.back().second, 0.0);
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
  for (const char* file : {"summary.json", "timeseries.csv", "events.jsonl", "report.html", "attribution.csv"})
    EXPECT_EQ(slurp(a / file), slurp(b / file)) << file;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, RerunningTheSameCommandLineIntoItsDirectoryGivesTheSameFiles) {
  fs::path dir = fresh_dir("rerun");
  const std::string command = fmt::format("run '{}' --out '{}' --seed 5", default_scenario, dir.string());
  ASSERT_EQ(outagesim(command).exit_code, 0);
  std::map<std::string, std::string> first;
  for (const auto& entry : fs::directory_iterator(dir)) first[entry.path().filename()] = slurp(entry.path());
  Outcome again = outagesim(command);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::map<std::string, std::string> second;
  for (const auto& entry : fs::directory_iterator(dir)) second[entry.path().filename()] = slurp(entry.path());
  EXPECT_EQ(first, second);
  fs::remove_all(dir);
}

TEST(Cli, ARunOfAnotherCommandLineIsNotReplacedWithoutForce) {
  fs::path dir = fresh_dir("other-command");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}'", default_scenario, dir.string())).exit_code, 0);
  const std::string summary = slurp(dir / "summary.json");
  const std::string manifest = slurp(dir / "manifest.json");

  for (const char* extra : {"--seed 9", "--set faults[0].at=+30m"}) {
    Outcome o = outagesim(fmt::format("run '{}' --out '{}' {}", default_scenario, dir.string(), extra));
    EXPECT_EQ(o.exit_code, 2) << extra;
    EXPECT_NE(o.err.find(fmt::format("--out {}: it holds the run of another command line", dir.string())),
              std::string::npos) << o.err;
    EXPECT_NE(o.err.find("--force"), std::string::npos) << o.err;
    EXPECT_EQ(slurp(dir / "summary.json"), summary) << extra;
    EXPECT_EQ(slurp(dir / "manifest.json"), manifest) << extra;
  }
  // Another scenario file into the same directory is refused the same way.
  Outcome other = outagesim(fmt::format("run '{}' --out '{}'", example("dns-failover"), dir.string()));
  EXPECT_EQ(other.exit_code, 2) << other.err;
  EXPECT_EQ(slurp(dir / "summary.json"), summary);

  Outcome forced = outagesim(fmt::format("run '{}' --out '{}' --seed 9 --force", default_scenario, dir.string()));
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(read_json(dir / "summary.json")["seed"], 9);
  fs::remove_all(dir);
}

TEST(Cli, TheDefaultDirectoryOfAnotherCommandLineIsRefusedToo) {
  fs::path cwd = fresh_dir("default-other");
  ASSERT_EQ(outagesim(fmt::format("run '{}'", default_scenario), cwd).exit_code, 0);
  Outcome o = outagesim(fmt::format("run '{}' --set faults[0].at=+30m", default_scenario), cwd);
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--out runs/cdn-bad-push-42: it holds the run of another command line"), std::string::npos)
      << o.err;
  fs::remove_all(cwd);
}

TEST(Cli, ScenarioYamlInTheRunDirectoryReproducesTheRun) {
  // Templates, parameters, --set and --seed: everything the copy must carry.
  fs::path dir = fresh_dir("reproduce");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/a' --seed 9 --set params.bad_share=20% "
                                  "--set params.good_share=80%",
                                  example("templated-cdn"), dir.string()))
                .exit_code,
            0);
  // Copied elsewhere, away from scenarios/providers/.
  fs::create_directories(dir / "elsewhere");
  fs::copy_file(dir / "a" / "scenario.yaml", dir / "elsewhere" / "scenario.yaml");
  Outcome o = outagesim(fmt::format("run '{0}/elsewhere/scenario.yaml' --out '{0}/b'", dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  for (const char* file : {"timeseries.csv", "events.jsonl", "attribution.csv"})
    EXPECT_EQ(slurp(dir / "a" / file), slurp(dir / "b" / file)) << file;
  // summary.json differs only in the hash of the input text.
  auto a = read_json(dir / "a" / "summary.json"), b = read_json(dir / "b" / "summary.json");
  EXPECT_NE(a["scenario_hash"], b["scenario_hash"]);
  a.erase("scenario_hash");
  b.erase("scenario_hash");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["seed"], 9);
  // The copy of the copy says the same below its two comment lines.
  auto body = [](const std::string& text) { return text.substr(text.find('\n', text.find('\n') + 1) + 1); };
  EXPECT_EQ(body(slurp(dir / "a" / "scenario.yaml")), body(slurp(dir / "b" / "scenario.yaml")));
  EXPECT_EQ(read_json(dir / "a" / "manifest.json")["files"].back(), "scenario.yaml");
  fs::remove_all(dir);
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
  EXPECT_NE(o.out.find("channel cdn.features: 2MB to proxy, broadcast topology, global rollout"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("11:20:00Z (+20m00s)  fault bad-feature-file"), std::string::npos) << o.out;
}

TEST(Cli, ValidatePrintsRecordsAndFailover) {
  Outcome o = outagesim(fmt::format("validate '{}'", example("dns-failover")));
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.out.find("health-checked failover to"), std::string::npos) << o.out;
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

TEST_F(DefaultRun, AttributesEverySiteOutageToTheBadPush) {
  std::istringstream csv(slurp(*dir_ / "attribution.csv"));
  std::string line;
  ASSERT_TRUE(std::getline(csv, line));
  EXPECT_EQ(line, "site,start,end,fault,share");
  auto m = read_json(*dir_ / "summary.json")["metrics"];
  const std::string interval = fmt::format(",{},{},bad-feature-file,1", m["impact_start"].get<double>(),
                                           m["impact_end"].get<double>());
  int rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    EXPECT_NE(line.find(interval), std::string::npos) << line;
  }
  EXPECT_EQ(rows, 6);  // the six hard-dependent sites, one interval each
  const auto& fault = m["faults"]["bad-feature-file"];
  EXPECT_EQ(fault["sites_affected"], 6);
  EXPECT_DOUBLE_EQ(fault["failed_requests"].get<double>(), m["failed_requests"].get<double>());
  EXPECT_DOUBLE_EQ(m["failed_requests_unattributed"].get<double>(), 0.0);
  EXPECT_NEAR(fault["traffic_share_affected"].get<double>(), 1 - m["availability_min"].get<double>(), 1e-12);
  // Only shop.example gives its users (30,000 at once): its one interval's
  // minutes times its users, all of it on the one fault.
  const double minutes = (m["impact_end"].get<double>() - m["impact_start"].get<double>()) / 60;
  EXPECT_NEAR(fault["user_minutes_lost"].get<double>(), 30000 * minutes, 1e-6);
  auto manifest = read_json(*dir_ / "manifest.json");
  EXPECT_NE(std::find(manifest["files"].begin(), manifest["files"].end(), "attribution.csv"), manifest["files"].end());
  // Cumulative failed requests end at the run's total (the last sample is the end of the run).
  std::istringstream series(slurp(*dir_ / "timeseries.csv"));
  std::string last;
  std::map<std::string, double> per_site;  // the last cumulative value of each site
  while (std::getline(series, line)) {
    if (line.find(",global,,failed_requests_cumulative,") != std::string::npos) last = line;
    if (line.find(",site,") != std::string::npos && line.find(",failed_requests_cumulative,") != std::string::npos)
      per_site[line.substr(0, line.find(",failed_requests_cumulative,")).substr(line.find(",site,") + 6)] =
          std::stod(line.substr(line.rfind(',') + 1));
  }
  EXPECT_DOUBLE_EQ(std::stod(last.substr(last.rfind(',') + 1)), m["failed_requests"].get<double>());
  // Every site has its own total (docs.example, behind a soft dependency,
  // fails nothing); together they are the run's.
  EXPECT_EQ(per_site.size(), 7u);
  EXPECT_EQ(per_site.at("docs.example"), 0.0);
  double sites_total = 0;
  for (const auto& [site, total] : per_site) sites_total += total;
  EXPECT_NEAR(sites_total, m["failed_requests"].get<double>(), 1e-6 * m["failed_requests"].get<double>());
}

TEST_F(DefaultRun, PrintsNoProgressWhenStderrIsNotATerminal) {
  ASSERT_EQ(outcome_->exit_code, 0);
  EXPECT_EQ(without_sanitizer_notes(outcome_->err), "");
}

TEST(Cli, PrintsProgressWhenStderrIsATerminal) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "no /usr/bin/script to give the run a terminal";
  fs::path dir = fresh_dir("tty");
  // script(1) runs the command on a pseudo-terminal; its stdout goes to a file, stderr stays on the terminal.
  const std::string inner = fmt::format("'{}' run '{}' --out '{}/run' > '{}/stdout.txt'", OUTAGESIM_BINARY,
                                        default_scenario, dir.string(), dir.string());
  FILE* pipe = popen(fmt::format("/usr/bin/script -qec \"{}\" /dev/null", inner).c_str(), "r");
  std::string terminal;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) terminal.append(buffer.data(), n);
  ASSERT_EQ(pclose(pipe), 0) << terminal;
  EXPECT_NE(terminal.find("\rsimulated 1h30m00s of 1h30m00s (100%), wall "), std::string::npos) << terminal;
  EXPECT_NE(terminal.find(" events/s"), std::string::npos) << terminal;
  EXPECT_EQ(slurp(dir / "stdout.txt").find("simulated 1h30m00s of"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Cli, CompareWritesTheDifferencesOfTwoRuns) {
  fs::path dir = fresh_dir("compare");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/a'", default_scenario, dir.string())).exit_code, 0);
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/b' --set faults[0].at=+35m", default_scenario, dir.string()))
                .exit_code,
            0);
  Outcome o = outagesim(fmt::format("compare '{0}/a' '{0}/b' --out '{0}/a-vs-b'", dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_TRUE(fs::exists(dir / "a-vs-b" / "compare.html"));
  ASSERT_TRUE(fs::exists(dir / "a-vs-b" / "compare.json"));
  const std::string html = slurp(dir / "a-vs-b" / "compare.html");
  EXPECT_NE(html.find("<svg id=\"chart-compare-availability\""), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"chart-compare-config-reach\""), std::string::npos);
  EXPECT_NE(o.out.find("a-vs-b/compare.html"), std::string::npos) << o.out;

  // Every number of the summaries, with B - A.
  auto compared = read_json(dir / "a-vs-b" / "compare.json");
  EXPECT_EQ(compared["b"]["overrides"][0], "faults[0].at=+35m");
  const auto a = read_json(dir / "a" / "summary.json")["metrics"];
  const auto b = read_json(dir / "b" / "summary.json")["metrics"];
  int checked = 0;
  for (const auto& [path, m] : compared["metrics"].items()) {
    const auto pointer = nlohmann::json::json_pointer("/" + path);
    ASSERT_EQ(m["a"], a.at(pointer)) << path;
    ASSERT_EQ(m["b"], b.at(pointer)) << path;
    if (m["a"].is_null() || m["b"].is_null()) {
      EXPECT_TRUE(m["difference"].is_null()) << path;
    } else {
      EXPECT_EQ(m["difference"].get<double>(), m["b"].get<double>() - m["a"].get<double>()) << path;
      ++checked;
    }
  }
  EXPECT_GE(checked, 15);
  EXPECT_EQ(compared["metrics"]["faults/bad-feature-file/injected_at"]["difference"], 900.0);
  EXPECT_LT(compared["metrics"]["failed_requests"]["difference"].get<double>(), 0);

  // Without --out: runs/compare-<A>-vs-<B> under the working directory.
  ASSERT_EQ(outagesim(fmt::format("compare '{0}/a' '{0}/b/'", dir.string()), dir).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "runs" / "compare-a-vs-b" / "compare.json"));
  fs::remove_all(dir);
}

TEST(Cli, CompareRefusesWhatIsNotARunDirectory) {
  fs::path dir = fresh_dir("compare-bad");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/a'", default_scenario, dir.string())).exit_code, 0);
  fs::create_directories(dir / "empty");
  Outcome o = outagesim(fmt::format("compare '{0}/a' '{0}/empty' --out '{0}/out'", dir.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("outagesim compare: error: " + (dir / "empty" / "summary.json").string() + ": missing"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(dir / "out"));

  fs::create_directories(dir / "broken");
  fs::copy_file(dir / "a" / "summary.json", dir / "broken" / "summary.json");
  std::ofstream(dir / "broken" / "timeseries.csv") << "t,value\n0,1\n";
  o = outagesim(fmt::format("compare '{0}/broken' '{0}/a' --out '{0}/out'", dir.string()));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("timeseries.csv:1: expected the header t,time_utc,scope,entity,metric,value"), std::string::npos)
      << o.err;
  EXPECT_EQ(outagesim(fmt::format("compare '{}/a'", dir.string())).exit_code, 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outagesim

namespace outagesim::testing {
namespace {

// The retry storm shows in report.html: offered load against goodput and the
// queue wait, per service with a queue; a run without queues has no such section.
TEST(Cli, ReportChartsQueuesWhereThereAreAny) {
  const std::string storm = slurp(run_example("metastable-retry-storm") / "report.html");
  EXPECT_NE(storm.find("<svg id=\"chart-queue-load\""), std::string::npos);
  EXPECT_NE(storm.find("data-label=\"offered shop.api\""), std::string::npos);
  EXPECT_NE(storm.find("data-label=\"goodput shop.api\""), std::string::npos);
  EXPECT_NE(storm.find("data-label=\"wait shop.api\""), std::string::npos);
  // The storm answers attempts after their clients gave up: that wasted work is charted.
  EXPECT_NE(storm.find("data-label=\"wasted shop.api\""), std::string::npos);
  // Jittered restarts never push the shared backend's waits past the
  // timeout: it wastes nothing, and draws no such line.
  const std::string calm = slurp(run_example("herd-shared-backend-jittered") / "report.html");
  EXPECT_NE(calm.find("data-label=\"goodput "), std::string::npos);
  EXPECT_EQ(calm.find("data-label=\"wasted "), std::string::npos);
  const std::string plain = slurp(run_example("cdn-bad-push") / "report.html");
  EXPECT_EQ(plain.find("chart-queue"), std::string::npos);
}

}  // namespace
}  // namespace outagesim::testing

namespace outagesim::testing {
namespace {

/// timeseries.csv's rows, header first.
std::vector<std::string> rows_of(const std::string& csv) {
  std::vector<std::string> rows;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  return rows;
}

TEST(Cli, OutputSeriesKeepsOnlyTheSelectedRowsAndChangesNothingElse) {
  const fs::path dir = fresh_dir("output-series");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/all'", default_scenario, dir.string())).exit_code, 0);
  const Outcome o = outagesim(fmt::format(
      "run '{}' --out '{}/some' --set 'output.series=[{{scope: global}}, {{entity: \"*.example\", metric: failed_rps}}]'",
      default_scenario, dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto all = rows_of(slurp(dir / "all" / "timeseries.csv")), some = rows_of(slurp(dir / "some" / "timeseries.csv"));
  // Exactly the rows of the full file that a filter matches, in its order.
  std::vector<std::string> expected{all.front()};
  for (std::size_t k = 1; k < all.size(); ++k) {
    std::vector<std::string> f;
    std::istringstream cells(all[k]);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    const bool site_failed = f[3].size() > 8 && f[3].substr(f[3].size() - 8) == ".example" && f[4] == "failed_rps";
    if (f[2] == "global" || site_failed) expected.push_back(all[k]);
  }
  EXPECT_EQ(some, expected);
  EXPECT_LT(some.size(), all.size());
  EXPECT_NE(slurp(dir / "some" / "timeseries.csv").find(",site,shop.example,failed_rps,"), std::string::npos);
  // The selection sizes the file only: every number of the summary is the same.
  EXPECT_EQ(read_json(dir / "all" / "summary.json")["metrics"], read_json(dir / "some" / "summary.json")["metrics"]);
  fs::remove_all(dir);
}

TEST(Cli, CompressedTimeseriesIsTheSameCsvAndCompareReadsIt) {
  const fs::path dir = fresh_dir("output-gzip");
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/plain'", default_scenario, dir.string())).exit_code, 0);
  const std::string gzip_run =
      fmt::format("run '{}' --out '{}/gz' --set output.compress=gzip", default_scenario, dir.string());
  ASSERT_EQ(outagesim(gzip_run).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "gz" / "timeseries.csv"));
  ASSERT_TRUE(fs::exists(dir / "gz" / "timeseries.csv.gz"));
  EXPECT_LT(fs::file_size(dir / "gz" / "timeseries.csv.gz"), fs::file_size(dir / "plain" / "timeseries.csv") / 4);
  // What gzip itself reads from it is the uncompressed run's file, byte for byte.
  const Outcome gunzip = shell(fmt::format("gzip -dc '{}/gz/timeseries.csv.gz'", dir.string()));
  ASSERT_EQ(gunzip.exit_code, 0) << gunzip.err;
  EXPECT_EQ(gunzip.out, slurp(dir / "plain" / "timeseries.csv"));
  EXPECT_EQ(read_json(dir / "gz" / "manifest.json")["files"][1], "timeseries.csv.gz");
  // Deterministic like every output.
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/gz2' --set output.compress=gzip", default_scenario, dir.string()))
                .exit_code,
            0);
  EXPECT_EQ(slurp(dir / "gz" / "timeseries.csv.gz"), slurp(dir / "gz2" / "timeseries.csv.gz"));
  // compare reads either form.
  const Outcome compared = outagesim(fmt::format("compare '{0}/plain' '{0}/gz' --out '{0}/cmp'", dir.string()));
  ASSERT_EQ(compared.exit_code, 0) << compared.err;
  // An uncompressed run into the same directory leaves no stale .gz beside its .csv.
  ASSERT_EQ(outagesim(fmt::format("run '{}' --out '{}/gz' --force", default_scenario, dir.string())).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "gz" / "timeseries.csv"));
  EXPECT_FALSE(fs::exists(dir / "gz" / "timeseries.csv.gz"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outagesim::testing
