// The command line as scripts use it: --json on stdout, --quiet, validate
// --seed, "did you mean" for a misspelt command, the bash completion, and a
// scenario hash that `sha256sum` reproduces.
#include "cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace outagesim::testing {
namespace {

using ::testing::HasSubstr;

TEST(Scripting, RunJsonPrintsTheSummaryAndNothingElseOnStdout) {
  const fs::path dir = fresh_dir("json-run");
  Outcome o = outagesim(fmt::format("run '{}' --out '{}' --json", example("cdn-bad-push"), dir.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);  // throws on anything but one JSON document
  EXPECT_EQ(j["command"], "run");
  EXPECT_EQ(j["run_directory"], dir.string());
  EXPECT_EQ(j["summary"], read_json(dir / "summary.json"));
  EXPECT_EQ(without_sanitizer_notes(o.err), "");  // no progress line either: stderr is not a terminal
}

TEST(Scripting, QuietPrintsNothingAndStillWritesTheRun) {
  const fs::path dir = fresh_dir("quiet-run");
  Outcome run = outagesim(fmt::format("run '{}' --out '{}' --quiet", example("cdn-bad-push"), dir.string()));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(fs::exists(dir / "summary.json"));
  Outcome validate = outagesim(fmt::format("validate '{}' -q", example("cdn-bad-push")));
  EXPECT_EQ(validate.exit_code, 0);
  EXPECT_EQ(validate.out, "");
  Outcome bad = outagesim(fmt::format("validate '{}' -q --set faults[0].at=14:30", example("cdn-bad-push")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_THAT(bad.err, HasSubstr("'14:30' is ambiguous"));  // errors still say why
}

TEST(Scripting, ValidateJsonGivesTheVerdictDiagnosticsAndTimeline) {
  Outcome ok = outagesim(fmt::format("validate '{}' --json --seed 9", example("cdn-bad-push")));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto j = nlohmann::json::parse(ok.out);
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["scenario"]["seed"], 9);  // validate --seed, as run --seed
  EXPECT_EQ(j["scenario"]["scenario_hash"].get<std::string>().size(), 64u);
  ASSERT_FALSE(j["timeline"].empty());
  EXPECT_EQ(j["timeline"][0]["t_s"], 1200.0);
  EXPECT_EQ(j["timeline"][0]["when"], "11:20:00Z (+20m00s)");
  EXPECT_EQ(j["timeline"].back()["what"], "end of run");

  Outcome bad = outagesim(fmt::format("validate '{}' --json --set faults[0].at=14:30", example("cdn-bad-push")));
  EXPECT_EQ(bad.exit_code, 2);
  const auto b = nlohmann::json::parse(bad.out);
  EXPECT_EQ(b["valid"], false);
  ASSERT_EQ(b["diagnostics"].size(), 1u);
  EXPECT_EQ(b["diagnostics"][0]["file"], "--set");
  EXPECT_EQ(b["diagnostics"][0]["path"], "faults[0].at");
}

/// cdn-bad-push as it is (the fault at +20m) and with the fault at +30m.
std::pair<fs::path, fs::path> two_runs() {
  const fs::path a = fresh_dir("compare-a"), b = fresh_dir("compare-b");
  for (const auto& [dir, extra] : {std::pair{a, ""}, std::pair{b, "--set faults[0].at=+30m"}}) {
    Outcome o = outagesim(fmt::format("run '{}' --out '{}' -q {}", example("cdn-bad-push"), dir.string(), extra));
    EXPECT_EQ(o.exit_code, 0) << o.err;
  }
  return {a, b};
}

TEST(Scripting, CompareJsonPrintsCompareJson) {
  const auto [a, b] = two_runs();
  const fs::path out = fresh_dir("json-compare");
  Outcome o = outagesim(fmt::format("compare '{}' '{}' --out '{}' --json", a.string(), b.string(), out.string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["command"], "compare");
  EXPECT_EQ(j["comparison"], read_json(out / "compare.json"));
  EXPECT_EQ(j["comparison"]["metrics"]["impact_start"]["difference"], 600.0);
}

TEST(Scripting, CompareSummaryUsesTheUnitsOfRun) {
  const auto [a, b] = two_runs();
  Outcome o = outagesim(fmt::format("compare '{}' '{}' --out '{}'", a.string(), b.string(),
                                    fresh_dir("text-compare").string()));
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, ::testing::ContainsRegex(R"(impact_start +\+20m[0-9]{2}s +\+30m[0-9]{2}s +\+10m00s)"));
}

TEST(Scripting, AMisspeltCommandGetsDidYouMean) {
  Outcome o = outagesim(fmt::format("rnu '{}'", example("cdn-bad-push")));
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_THAT(o.err, HasSubstr("'rnu' is not a command (did you mean 'run'?)"));
  Outcome far = outagesim("simulate x.yaml");
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_THAT(far.err, HasSubstr("'simulate' is not a command; the commands are run validate compare"));
}

TEST(Scripting, TheScenarioHashIsWhatSha256sumPrints) {
  const std::string scenario = example("cdn-bad-push");
  const fs::path dir = run_example("cdn-bad-push");
  FILE* pipe = popen(fmt::format("sha256sum '{}'", scenario).c_str(), "r");
  std::array<char, 65> digest{};
  ASSERT_EQ(fread(digest.data(), 1, 64, pipe), 64u);
  pclose(pipe);
  EXPECT_EQ(read_json(dir / "summary.json")["scenario_hash"], std::string(digest.data(), 64));
}

/// What bash offers after `words` (the last one being completed).
std::string completions(const std::string& words) {
  const fs::path script = fresh_dir("completion") / "outagesim.bash";
  Outcome generated = outagesim("completion bash");
  std::ofstream(script) << generated.out;
  const std::string command = fmt::format(
      "cd '{}' && bash -c 'source \"{}\"; COMP_WORDS=({}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); _outagesim; "
      "echo \"${{COMPREPLY[@]}}\"'",
      OUTAGESIM_SOURCE_DIR, script.string(), words);
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

TEST(Scripting, BashCompletesCommandsOptionsAndScenarioFiles) {
  EXPECT_EQ(completions("outagesim va"), "validate\n");
  EXPECT_THAT(completions("outagesim run --"), HasSubstr("--json"));
  EXPECT_THAT(completions("outagesim validate --"), HasSubstr("--seed"));
  EXPECT_THAT(completions("outagesim run scenarios/examples/cdn-bad"), HasSubstr("scenarios/examples/cdn-bad-push.yaml"));
  EXPECT_EQ(completions("outagesim completion b"), "bash\n");
  EXPECT_EQ(completions("outagesim new two"), "two-cdns-dns-failover\n");
}

}  // namespace
}  // namespace outagesim::testing
