// Golden diagnostics for the corpus of bad scenarios in tests/scenario/bad/.
//
// Each NN-short-name.yaml there holds one deliberate mistake (a few hold
// several, to show that every problem is collected), and NN-short-name.expected
// beside it holds exactly the lines the loader must report for it: one
// Diagnostic::to_string() per line, with the file's full path replaced by its
// basename ("06-unknown-key-service.yaml:11:9: error: ... [at ...]").
//
// To regenerate the .expected files after a deliberate change of a message,
// run the test with OUTAGESIM_UPDATE_GOLDEN=1 set, e.g.
//   OUTAGESIM_UPDATE_GOLDEN=1 ctest --test-dir build/dev -R BadScenario
// then read `git diff tests/scenario/bad` line by line before committing: the
// test then rewrites the files instead of comparing, and blesses whatever the
// loader prints.
//
// tests/scenario/bad/pending/ holds cases whose diagnostics are wrong or
// unclear today; their .expected files say what the loader SHOULD print. They
// are not run here; move a case up into bad/ once the loader prints that.
#include "sim/scenario/loader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace outagesim::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path corpus_dir = fs::path(OUTAGESIM_SOURCE_DIR) / "tests" / "scenario" / "bad";

/// The corpus's .yaml files, sorted by name.
std::vector<fs::path> corpus() {
  std::vector<fs::path> files;
  if (!fs::is_directory(corpus_dir)) return files;
  for (const auto& entry : fs::directory_iterator(corpus_dir))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

bool updating_golden() {
  const char* value = std::getenv("OUTAGESIM_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

/// "06-unknown-key-service.yaml" -> "06_unknown_key_service", a valid test name.
std::string test_name(const fs::path& file) {
  std::string name = file.stem().string();
  for (char& c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
  return name;
}

class BadScenario : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadScenario, ReportsExactlyTheExpectedDiagnostics) {
  const fs::path& yaml = GetParam();
  const std::string path = yaml.string();
  const std::string basename = yaml.filename().string();
  fs::path golden = yaml;
  golden.replace_extension(".expected");

  std::string actual;
  try {
    load(path);
    FAIL() << basename << " was accepted; every scenario in " << corpus_dir.string() << " must be rejected";
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) {
      std::string line = d.to_string();
      replace_all(line, path, basename);
      actual += line + '\n';
    }
  } catch (const std::exception& e) {
    FAIL() << basename << " made the loader throw something other than ScenarioError: " << e.what();
  }

  if (updating_golden()) {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden.string()
                                  << " is missing; run with OUTAGESIM_UPDATE_GOLDEN=1 to write it, then check it by hand";
  EXPECT_EQ(without_trailing_newlines(actual), without_trailing_newlines(slurp(golden)))
      << "diagnostics of " << basename << " differ from " << golden.filename().string();
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadScenario, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<fs::path>& case_info) { return test_name(case_info.param); });

TEST(BadScenarioCorpus, HasAtLeast45CommentedCasesWithGoldenFiles) {
  const auto files = corpus();
  EXPECT_GE(files.size(), 45u) << "in " << corpus_dir.string();
  for (const auto& yaml : files) {
    EXPECT_EQ(slurp(yaml).rfind("# ", 0), 0u) << yaml.filename().string()
                                              << " should start with a '# ' comment saying what is wrong";
    fs::path golden = yaml;
    golden.replace_extension(".expected");
    if (!updating_golden()) {
      EXPECT_TRUE(fs::exists(golden)) << golden.string();
    }
  }
  // Every golden file belongs to a case.
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    if (entry.path().extension() != ".expected") continue;
    fs::path yaml = entry.path();
    yaml.replace_extension(".yaml");
    EXPECT_TRUE(fs::exists(yaml)) << entry.path().string() << " has no .yaml beside it";
  }
}

}  // namespace
}  // namespace outagesim::scenario
