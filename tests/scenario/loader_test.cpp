#include "sim/scenario/loader.hpp"
#include "sim/scenario/sweep_loader.hpp"

#include "sim/scenario/document_limits.hpp"
#include "sim/scenario/scenario_hash.hpp"
#include "sim/scenario/units.hpp"
#include "unit_suffix.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

using ::testing::HasSubstr;

// A small valid scenario; tests replace one piece at a time.
constexpr const char* valid = R"(scenario:
  name: tiny
  start: 2025-12-05T08:00:00Z
  duration: 1h
  seed: 7
providers:
  - name: cdn
    services:
      - name: proxy
        instances: {eu-west: 2, na-east: 2}
        capacity: 10k rps
        variants:
          - {name: fl1, share: 25%}
          - {name: fl2, share: 75%}
    channels:
      - name: rules
        consumers: proxy
        origin: eu-west
        size: 1MB
sites:
  - name: a.example
    rps: 100 rps
    depends_on: [{target: cdn.proxy}]
faults:
  - id: push
    kind: bad_config_push
    channel: cdn.rules
    at: +10m
    effects: [{variant: fl1, error_rate: 100%}]
operators:
  - name: sre
    actions: [{at: +30m, do: revert, channel: cdn.rules}]
output:
  resolution: 30s
)";

std::string with(std::string_view from, std::string_view to) {
  std::string text = valid;
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<Diagnostic> diagnostics_of(const std::string& text, const std::vector<Override>& overrides = {}) {
  try {
    load_from_string(text, "test.yaml", overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected the scenario to be rejected";
  return {};
}


TEST(Loader, ReadsEveryFieldOfAValidScenario) {
  Scenario s = load_from_string(valid, "test.yaml");
  EXPECT_EQ(s.name, "tiny");
  EXPECT_DOUBLE_EQ(s.duration_s, 3600);
  EXPECT_EQ(s.seed, 7u);
  ASSERT_EQ(s.providers.size(), 1u);
  const auto& service = s.providers[0].services[0];
  ASSERT_EQ(service.instances.size(), 2u);
  EXPECT_EQ(service.instances[0].region, "eu-west");  // declaration order kept
  EXPECT_EQ(service.instances[1].count, 2);
  EXPECT_DOUBLE_EQ(service.capacity_rps, 10e3);
  EXPECT_DOUBLE_EQ(service.variants[1].share, 0.75);
  EXPECT_DOUBLE_EQ(s.providers[0].channels[0].size_bytes, 1e6);
  EXPECT_DOUBLE_EQ(s.providers[0].channels[0].uplink_Bps, 10e9 / 8);  // default
  EXPECT_DOUBLE_EQ(s.faults[0].at.at_s, 600);
  EXPECT_DOUBLE_EQ(std::get<faults::BadConfigPush>(s.faults[0].kind).effects[0].error_rate, 1.0);
  EXPECT_DOUBLE_EQ(s.operators[0].actions[0].at->at_s, 1800);
  EXPECT_DOUBLE_EQ(s.output.resolution_s, 30);
  EXPECT_EQ(s.source_hash.size(), 64u);
}

// SHA-256, so that `sha256sum scenario.yaml` checks it: without templates or
// overrides it is the file's digest; each override is appended as "\n--set PATH=VALUE".
TEST(Loader, ScenarioHashIsTheSha256OfWhatWasRead) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  EXPECT_EQ(load_from_string(valid, "test.yaml").source_hash, sha256_hex(valid));
  EXPECT_EQ(load_from_string(valid, "test.yaml", {{"scenario.seed", "7"}}).source_hash,
            sha256_hex(std::string(valid) + "\n--set scenario.seed=7"));
}

TEST(Loader, UnknownKeyNamesLineColumnAndSuggests) {
  auto d = diagnostics_of(with("    rps: 100 rps", "    rpss: 100 rps"));
  ASSERT_EQ(d.size(), 1u);  // not also "missing required key 'rps'"
  EXPECT_EQ(d[0].file, "test.yaml");
  EXPECT_EQ(d[0].line, 22);
  EXPECT_EQ(d[0].column, 5);
  EXPECT_EQ(d[0].path, "sites[0].rpss");
  EXPECT_THAT(d[0].message, HasSubstr("did you mean 'rps'?"));
}

TEST(Loader, CollectsEveryProblemNotJustTheFirst) {
  std::string text = with("    rps: 100 rps", "    rps: 100 qps");
  text = text.replace(text.find("size: 1MB"), 9, "size: 1 elephant");
  text = text.replace(text.find("duration: 1h"), 12, "duration: long");
  auto d = diagnostics_of(text);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].path, "scenario.duration");
  EXPECT_EQ(d[1].path, "providers[0].channels[0].size");
  EXPECT_EQ(d[2].path, "sites[0].rps");
  EXPECT_THAT(d[2].message, HasSubstr("request rate"));
}

TEST(Loader, MissingRequiredKey) {
  auto d = diagnostics_of(with("        origin: eu-west\n", ""));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "missing required key 'origin'");
  EXPECT_EQ(d[0].line, 16);  // the channel's mapping
}

TEST(Loader, AServiceWithoutCapacityOrCpuSaysWhichItTakes) {
  // Each is optional alone (capacity as a rate, or as a cpu budget), so the
  // checks say it, at the service.
  auto d = diagnostics_of(with("        capacity: 10k rps\n", ""));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "providers[0].services[0].capacity");
  EXPECT_THAT(d[0].message, HasSubstr("or a 'cpu' budget"));
  EXPECT_EQ(d[0].line, 9);  // the service's mapping
}

TEST(Loader, DanglingReferencesSuggestTheRightName) {
  auto d = diagnostics_of(with("target: cdn.proxy", "target: cdn.proxi"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].path, "sites[0].depends_on[0].target");
  EXPECT_THAT(d[0].message, HasSubstr("did you mean 'cdn.proxy'?"));
  EXPECT_EQ(d[0].line, 23);

  d = diagnostics_of(with("channel: cdn.rules\n    at", "channel: cdn.rulez\n    at"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("unknown channel 'cdn.rulez'"));

  d = diagnostics_of(with("variant: fl1", "variant: fl3"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("no variant 'fl3'"));

  d = diagnostics_of(with("origin: eu-west", "origin: eu-wst"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("did you mean 'eu-west'?"));
}

TEST(Loader, OutOfRangeValues) {
  EXPECT_THAT(diagnostics_of(with("share: 25%", "share: 125%"))[0].message, HasSubstr("out of range: a fraction is 0% to 100%"));
  EXPECT_THAT(diagnostics_of(with("share: 25%", "share: 20%"))[0].message, HasSubstr("add up to 95%"));
  EXPECT_THAT(diagnostics_of(with("at: +10m", "at: +2h"))[0].message, HasSubstr("outside the run"));
  EXPECT_THAT(diagnostics_of(with("size: 1MB", "size: -1MB"))[0].message, HasSubstr("out of range: a size is"));
  EXPECT_THAT(diagnostics_of(with("resolution: 30s", "resolution: 2h"))[0].message, HasSubstr("no longer than"));
  EXPECT_THAT(diagnostics_of(with("name: tiny", "name: ../../etc"))[0].message, HasSubstr("directory name"));
}

TEST(Loader, DuplicateNamesAndKeys) {
  auto d = diagnostics_of(with("sites:\n", "sites:\n  - {name: a.example, rps: 1 rps, depends_on: [{target: cdn.proxy}]}\n"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("duplicate site 'a.example'"));
  d = diagnostics_of(with("  seed: 7\n", "  seed: 7\n  seed: 8\n"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("duplicate key 'seed'"));
}

TEST(Loader, InvalidYamlGivesThePosition) {
  auto d = diagnostics_of("scenario: {name: x\nproviders: [");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("invalid YAML"));
  EXPECT_GT(d[0].line, 0);
  EXPECT_EQ(diagnostics_of("- just\n- a list\n")[0].message.find("expected a mapping"), 0u);
}

TEST(Loader, WrongShapesAreErrorsNotCrashes) {
  for (const char* text : {"scenario: 3\nproviders: x\nsites: {}\n", "scenario: []\nproviders: [[]]\nsites: [1]\n",
                           "? [a]\n: b\n", "scenario:\n  name: [x]\n  start: {}\n  duration: []\n  seed: -1\n"}) {
    EXPECT_FALSE(diagnostics_of(text).empty()) << text;
  }
}

TEST(Loader, TooLargeInputIsRefusedClearly) {
  std::string huge(max_scenario_bytes + 1, '#');
  auto d = diagnostics_of(huge);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr(fmt::format("limited to {} bytes", max_scenario_bytes)));
}

TEST(Overrides, ByPositionAndByName) {
  Scenario s = load_from_string(valid, "test.yaml",
                                {{"faults[0].at", "+20m"},
                                 {"providers.cdn.channels.rules.size", "4MB"},
                                 {"scenario.seed", "99"},
                                 {"sites[a.example].rps", "250 rps"}});
  EXPECT_DOUBLE_EQ(s.faults[0].at.at_s, 1200);
  EXPECT_DOUBLE_EQ(s.providers[0].channels[0].size_bytes, 4e6);
  EXPECT_EQ(s.seed, 99u);
  EXPECT_DOUBLE_EQ(s.sites[0].rps, 250);
  EXPECT_NE(s.source_hash, load_from_string(valid, "test.yaml").source_hash);
}

TEST(Overrides, CanAddAnOptionalKey) {
  Scenario s = load_from_string(valid, "test.yaml", {{"providers[0].channels[0].apply_delay", "3s"}});
  EXPECT_DOUBLE_EQ(s.providers[0].channels[0].apply_delay_s, 3);
}

TEST(Overrides, CreateTheMappingsTheirPathGoesThrough) {
  const Scenario s = load_from_string(valid, "test.yaml", {{"traffic.retry.max_retries", "3"}});
  EXPECT_EQ(s.traffic.retry.max_retries, 3);
}

TEST(Overrides, BadOverridesAreReportedAsSet) {
  auto d = diagnostics_of(valid, {{"faults[0].at", "+2h"}});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "--set");
  EXPECT_EQ(d[0].path, "faults[0].at");
  EXPECT_THAT(d[0].message, HasSubstr("outside the run"));

  d = diagnostics_of(valid, {{"providers.cdn.channels.rulez.size", "1MB"}});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("did you mean 'rules'?"));
  EXPECT_THAT(diagnostics_of(valid, {{"faults[3].at", "+1m"}})[0].message, HasSubstr("out of range"));
  EXPECT_THAT(diagnostics_of(valid, {{"scenario.sed", "1"}})[0].message, HasSubstr("did you mean 'seed'?"));
  // A mapping the path names and the scenario lacks is created; a misspelled one is refused by the checks.
  EXPECT_THAT(diagnostics_of(valid, {{"scenario.sedd.x", "1"}})[0].message, HasSubstr("did you mean 'seed'?"));
  EXPECT_THROW(parse_override("no-equals-sign"), ScenarioError);
}

TEST(Loader, EveryScenarioUnderScenariosLoads) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios")) {
    // Provider templates are fragments, loaded only through `use:`.
    if (entry.path().extension() != ".yaml" || entry.path().parent_path().filename() == "providers") continue;
    ++count;
    try {
      // Sweep specs (docs/experiments.md) are a language of their own.
      if (entry.path().parent_path().filename() == "sweeps") load_sweep(entry.path().string());
      else load(entry.path().string());
    } catch (const ScenarioError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_GE(count, 1);
}

/// The parts of a scenario a run uses; the provenance (file, hash, sources)
/// and the names of templates merged in are left out.
void expect_same_model(Scenario a, Scenario b, const std::string& what) {
  for (auto* s : {&a, &b})
    for (auto& p : s->providers) p.use.clear();
  EXPECT_EQ(a.name, b.name) << what;
  EXPECT_EQ(a.start_epoch_s, b.start_epoch_s) << what;
  EXPECT_EQ(a.duration_s, b.duration_s) << what;
  EXPECT_EQ(a.seed, b.seed) << what;
  EXPECT_EQ(a.params, b.params) << what;
  EXPECT_EQ(a.regions, b.regions) << what;
  EXPECT_EQ(a.network, b.network) << what;
  EXPECT_EQ(a.providers, b.providers) << what;
  EXPECT_EQ(a.sites, b.sites) << what;
  EXPECT_EQ(a.traffic, b.traffic) << what;
  EXPECT_EQ(a.faults, b.faults) << what;
  EXPECT_EQ(a.operators, b.operators) << what;
  EXPECT_EQ(a.output, b.output) << what;
}

TEST(ResolvedYaml, EveryScenarioResolvesToTextThatLoadsToTheSameModel) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml" || entry.path().parent_path().filename() == "providers") continue;
    const std::string path = entry.path().string();
    Scenario original;
    try {
      original = load(path);
    } catch (const ScenarioError&) {
      continue;  // not a scenario (EveryScenarioUnderScenariosLoads reports real failures)
    }
    ++count;
    const std::string text = resolved_yaml(path);
    // Loaded from a folder without providers/: templates must be merged in.
    const Scenario again = load_from_string(text, "/nonexistent/scenario.yaml");
    expect_same_model(original, again, path);
    EXPECT_EQ(text.find("use:"), std::string::npos) << path;
  }
  EXPECT_GE(count, 40);
}

TEST(ResolvedYaml, OverridesAreWrittenInAndResolvingAgainChangesNothing) {
  namespace fs = std::filesystem;
  const std::string path = fs::path(OUTAGESIM_SOURCE_DIR) / "scenarios/examples/templated-cdn.yaml";
  const std::vector<Override> overrides{{"params.bad_share", "20%"}, {"params.good_share", "80%"},
                                        {"scenario.seed", "9"}};
  const std::string text = resolved_yaml(path, overrides);
  EXPECT_THAT(text, HasSubstr("bad_share: 20%"));
  EXPECT_THAT(text, HasSubstr("${bad_share}"));  // parameters stay as written
  expect_same_model(load(path, overrides), load_from_string(text, "scenario.yaml"), path);

  const fs::path copy = fs::temp_directory_path() / fmt::format("outagesim-resolved-{}.yaml", getpid());
  std::ofstream(copy) << text;
  EXPECT_EQ(resolved_yaml(copy.string()), text);
  fs::remove(copy);
}


}  // namespace
}  // namespace outagesim::scenario

namespace outagesim::scenario {
namespace {

TEST(Loader, AliasExpansionIsBounded) {
  // Each level names the previous list ten times: 10^7 sites from a few lines.
  std::string text =
      "scenario: {name: bomb, start: 2025-01-01T00:00:00Z, duration: 1h}\n"
      "providers: [{name: cdn, services: [{name: proxy, instances: {eu-west: 1}, capacity: 1 rps}]}]\n"
      "x0: &a0 [{target: cdn.proxy}]\n";
  for (int level = 1; level <= 7; ++level) {
    text += fmt::format("x{}: &a{} [", level, level);
    for (int i = 0; i < 10; ++i) text += fmt::format("{}*a{}", i ? ", " : "", level - 1);
    text += "]\n";
  }
  text += "sites:\n";
  for (int i = 0; i < 10; ++i) text += fmt::format("  - {{name: s{}, rps: 1 rps, depends_on: *a7}}\n", i);
  try {
    load_from_string(text, "bomb.yaml");
    FAIL() << "expected the scenario to be rejected";
  } catch (const ScenarioError& e) {
    bool bounded = false;
    for (const auto& d : e.diagnostics())
      bounded = bounded || d.message.find("aliases of this file stand for more than") != std::string::npos;
    EXPECT_TRUE(bounded) << e.what();
  }
}


// --- hostile documents: each refused with a location, quickly ------------------

/// The only diagnostic of `text`, which must be refused within `seconds`.
Diagnostic refused_quickly(const std::string& text, double seconds = 2.0) {
  const auto started = std::chrono::steady_clock::now();
  auto d = diagnostics_of(text);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took.count(), seconds) << "took " << took.count() << " s";
  EXPECT_EQ(d.size(), 1u);
  return d.empty() ? Diagnostic{} : d[0];
}

TEST(HostileDocument, SelfReferentialAliasIsRefused) {
  auto d = refused_quickly("x: &a [*a]\n");
  EXPECT_EQ(d.line, 1);
  EXPECT_EQ(d.column, 8);
  EXPECT_THAT(d.message, HasSubstr("refers to a node that contains it"));
  d = refused_quickly("x: &a {k: [1, {j: *a}]}\n");
  EXPECT_THAT(d.message, HasSubstr("refers to a node that contains it"));
}

TEST(HostileDocument, ChainOf10000NestedAliasesIsRefused) {
  std::string text = "a0: &a0 [x]\n";
  for (int i = 1; i < 10'000; ++i) text += fmt::format("a{}: &a{} [*a{}]\n", i, i, i - 1);
  auto d = refused_quickly(text);
  EXPECT_EQ(d.line, 64);  // the first alias whose expansion, under the top mapping, is too deep
  EXPECT_THAT(d.message, HasSubstr(fmt::format("nested more than {} deep", max_yaml_depth)));
}

TEST(HostileDocument, BillionLaughsIsRefused) {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 9; ++i) {
    text += fmt::format("l{}: &l{} [", i, i);
    for (int k = 0; k < 10; ++k) text += fmt::format("{}*l{}", k ? ", " : "", i - 1);
    text += "]\n";
  }
  auto d = refused_quickly(text);
  EXPECT_GT(d.line, 1);
  EXPECT_THAT(d.message, HasSubstr("alias bomb"));
}

TEST(HostileDocument, DeepNestingIsRefusedWhereItGetsTooDeep) {
  for (int depth : {10'000, 100'000}) {
    auto d = refused_quickly("x: " + std::string(depth, '[') + std::string(depth, ']') + "\n");
    EXPECT_EQ(d.line, 1);
    EXPECT_EQ(d.column, static_cast<int>(3 + max_yaml_depth));  // the top mapping is the first level
    EXPECT_THAT(d.message, HasSubstr("nested more than 64 deep"));
  }
  std::string block = "x:\n";
  for (int i = 1; i <= 200; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  EXPECT_THAT(refused_quickly(block).message, HasSubstr("nested more than 64 deep"));
}

TEST(HostileDocument, ModerateAliasUseIsStillAccepted) {
  std::string text = valid;
  text.replace(text.find("    depends_on: [{target: cdn.proxy}]"), 37, "    depends_on: &deps [{target: cdn.proxy}]");
  text.replace(text.find("faults:\n"), 8, "  - {name: b.example, rps: 1 rps, depends_on: *deps}\nfaults:\n");
  EXPECT_EQ(load_from_string(text, "test.yaml").sites.size(), 2u);
}

TEST(HostileDocument, ASecondDocumentIsAnError) {
  const std::string first(valid);
  auto d = refused_quickly(first + "---\nscenario: {name: other}\n");
  EXPECT_EQ(d.line, std::count(first.begin(), first.end(), '\n') + 1);
  EXPECT_THAT(d.message, HasSubstr("second YAML document"));
}

TEST(HostileDocument, EmptyFilesAreErrors) {
  for (const char* text : {"", "\n\n", "# only a comment\n"}) {
    auto d = refused_quickly(text);
    EXPECT_THAT(d.message, HasSubstr("holds no YAML document")) << text;
  }
}

TEST(HostileDocument, BinaryAndInvalidUtf8AreLocated) {
  auto d = refused_quickly(with("name: a.example", "name: a.ex\xff" "ample"));
  EXPECT_EQ(d.line, 21);
  EXPECT_EQ(d.column, 15);
  EXPECT_THAT(d.message, HasSubstr("expected UTF-8 text, found byte 0xFF, not valid UTF-8"));
  d = refused_quickly(std::string("scenario:\n  name: x\0y\n", 22));
  EXPECT_EQ(d.line, 2);
  EXPECT_THAT(d.message, HasSubstr("NUL byte"));
  d = refused_quickly(with("name: a.example", "name: a.\xc0\xafxample"));  // overlong '/'
  EXPECT_THAT(d.message, HasSubstr("not valid UTF-8"));
  d = refused_quickly(with("name: a.example", "name: a.\xed\xa0\x80xample"));  // a surrogate
  EXPECT_THAT(d.message, HasSubstr("not valid UTF-8"));
  d = refused_quickly(with("name: a.example", "name: a.\x1b[31mexample"));  // a terminal escape
  EXPECT_THAT(d.message, HasSubstr("control character 0x1B"));
}

TEST(HostileDocument, EscapesCannotSmuggleBytesIntoNames) {
  auto d = refused_quickly(with("name: a.example", "name: \"a.\\0example\""));
  EXPECT_EQ(d.line, 21);
  EXPECT_THAT(d.message, HasSubstr("NUL byte"));
  d = refused_quickly(with("name: a.example", "name: \"a.\\e[31mexample\""));
  EXPECT_THAT(d.message, HasSubstr("control character 0x1B"));
  d = refused_quickly(with("name: a.example", "name: \"a.\\ud800example\""));
  EXPECT_THAT(d.message, HasSubstr("invalid"));
}

TEST(HostileDocument, ByteOrderMarkAndCrlfAreAccepted) {
  std::string crlf;
  for (char c : std::string(valid)) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const Scenario plain = load_from_string(valid, "test.yaml");
  const Scenario windows = load_from_string("\xEF\xBB\xBF" + crlf, "test.yaml");
  EXPECT_EQ(windows.name, plain.name);
  EXPECT_EQ(windows.sites[0].name, plain.sites[0].name);
  EXPECT_EQ(windows.providers[0].channels[0].name, plain.providers[0].channels[0].name);
  EXPECT_DOUBLE_EQ(windows.output.resolution_s, plain.output.resolution_s);
}

TEST(HostileDocument, DuplicateKeysAreErrorsInEveryMapping) {
  auto d = refused_quickly("params:\n  cap: 1\n  cap: 2\n" + std::string(valid));
  EXPECT_EQ(d.line, 3);
  EXPECT_THAT(d.message, HasSubstr("duplicate key 'cap' (first given on line 2)"));
  d = refused_quickly(with("instances: {eu-west: 2, na-east: 2}", "instances: {eu-west: 2, eu-west: 2}"));
  EXPECT_THAT(d.message, HasSubstr("duplicate key 'eu-west'"));
}

TEST(HostileDocument, HostileOverrideValuesAreRefusedAsSet) {
  for (const char* value : {"&a [*a]", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                            "\"a\\0b\"", "x\n---\ny"}) {
    auto d = diagnostics_of(valid, {{"sites[0].name", value}});
    ASSERT_EQ(d.size(), 1u) << value;
    EXPECT_EQ(d[0].file, "--set") << value;
  }
}

// --- numbers: NaN, infinities, 1e308, negatives and zero in a field of each kind --

TEST(HostileNumbers, EveryKindRefusesWhatTheModelCannotHonour) {
  struct Case {
    Unit unit;
    std::string path;
    std::string value;  ///< the override's value; X stands for the hostile number
    std::string good;   ///< a number in range, which must load
  };
  const std::vector<Case> cases{
      {Unit::duration, "providers[0].channels[0].apply_delay", "X", "2s"},
      {Unit::duration, "operators[0].diagnosis", "{dist: lognormal, median: X, p95: 2h}", "10m"},
      {Unit::period, "output.resolution", "X", "1m"},
      {Unit::period, "providers[0].channels[0].topology", "{kind: pull, period: X}", "5m"},
      {Unit::timeout, "providers[0].services[0].queue", "{max_wait: 10s, timeout: X}", "2s"},
      {Unit::size, "providers[0].channels[0].size", "X", "4MB"},
      {Unit::bandwidth, "providers[0].channels[0].uplink", "X", "1Gbps"},
      {Unit::rate, "sites[0].rps", "X", "20 rps"},
      {Unit::fraction, "providers[0].services[0].variants[0].share", "X", "25%"},
      {Unit::offset, "traffic", "{client_regions: [{region: eu-west, users: 100%, utc_offset: X}]}", "-5h"},
      {Unit::latitude, "regions", "[{name: lab, latitude: X, longitude: 0}]", "45"},
      {Unit::longitude, "regions", "[{name: lab, latitude: 0, longitude: X}]", "-120"},
      {Unit::hour, "traffic", "{diurnal: {peak_to_trough: 2, peak_hour: X}}", "20"},
      {Unit::amount, "sites[0].users", "X", "5000"},
      {Unit::factor, "traffic", "{diurnal: {peak_to_trough: X}}", "3"},
      {Unit::exponent, "traffic",
       "{population: {sites: 10, exponent: X, total_rps: 10 rps, mix: [{name: a, share: 100%, depends_on: "
       "[{target: cdn.proxy}]}]}}",
       "0.9"},
  };
  for (const auto& c : cases) {
    const std::string suffix = std::string(testing::a_suffix_of(unit_grammar(c.unit)));
    const Range& range = unit_range(c.unit);
    std::string control = c.value;
    control.replace(control.find('X'), 1, c.good);
    EXPECT_NO_THROW(load_from_string(valid, "test.yaml", {{c.path, control}})) << c.path << "=" << control;
    std::vector<std::string> refused{".nan", ".inf", "-.inf", "nan" + suffix, "inf" + suffix, "1e308" + suffix,
                                     "-1e308" + suffix};
    if (range.min >= 0) refused.push_back("-1" + suffix);
    if (range.min > 0 || range.smallest_nonzero > 0) refused.push_back("1e-300" + suffix);
    if (range.min > 0) refused.push_back("0" + suffix);
    for (const auto& number : refused) {
      std::string value = c.value;
      value.replace(value.find('X'), 1, number);
      try {
        load_from_string(valid, "test.yaml", {{c.path, value}});
        ADD_FAILURE() << c.path << "=" << value << " was accepted";
      } catch (const ScenarioError& e) {
        EXPECT_EQ(e.diagnostics().front().file, "--set") << c.path << "=" << value << ": " << e.what();
      }
    }
  }
}

TEST(HostileNumbers, TheDocumentedTenMillionSitesAreAccepted) {
  // Integers used to stop at 1,000,000 while the reference promised 10,000,000 sites.
  const std::string population =
      "{population: {sites: N, total_rps: 1M rps, mix: [{name: a, share: 100%, depends_on: [{target: cdn.proxy}]}]}}";
  auto with_sites = [&](const char* n) {
    std::string value = population;
    value.replace(value.find('N'), 1, n);
    return std::vector<Override>{{"traffic", value}};
  };
  EXPECT_EQ(load_from_string(valid, "test.yaml", with_sites("10000000")).traffic.population->sites, 10'000'000);
  auto d = diagnostics_of(valid, with_sites("10000001"));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, HasSubstr("at most 10000000"));
}

}  // namespace
}  // namespace outagesim::scenario
