// The journal: lines round-trip, a torn last line is ignored and cut off
// before the next append, another sweep's journal is refused, and a second
// sweep cannot write into the same one.
#include "sim/experiment/journal.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace outagesim::experiment {
namespace {

namespace fs = std::filesystem;

fs::path fresh(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("outagesim-journal-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir / "journal.jsonl";
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const JournalHeader header{"0123456789abcdef", "1.2.3", 10};

TEST(Journal, ALineRoundTripsExactly) {
  const RunRecord record{7, RunStatus::ok, {0.1 + 0.2, std::nullopt, 1e-300, 18547200000}, "", 0.123456789};
  const std::string line = journal_line(record);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  EXPECT_EQ(parse_journal_line(line), record);
  const RunRecord failed{3, RunStatus::failed, {}, "line one\nline \"two\"\n\xff", 2};
  auto parsed = parse_journal_line(journal_line(failed));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->status, RunStatus::failed);
  EXPECT_EQ(parsed->error_tail.substr(0, 19), "line one\nline \"two\"");
  EXPECT_FALSE(parse_journal_line("{\"id\": 3, \"status\": \"o"));
}

TEST(Journal, ATornLastLineIsIgnoredAndCutBeforeTheNextAppend) {
  const fs::path path = fresh("torn");
  {
    Journal journal(path, header);
    journal.append({0, RunStatus::ok, {1.5}, "", 0.5});
    journal.append({1, RunStatus::timeout, {}, "killed", 9});
  }
  const std::string whole = slurp(path);
  const std::string torn_line = journal_line({2, RunStatus::ok, {2.5}, "", 0.5});
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << torn_line.substr(0, torn_line.size() / 2);  // killed mid-write
  }
  {
    Journal journal(path, header);
    ASSERT_EQ(journal.finished().size(), 2u);
    EXPECT_EQ(journal.finished()[1].status, RunStatus::timeout);
    EXPECT_EQ(slurp(path), whole);  // the torn half is gone
    journal.append({2, RunStatus::ok, {2.5}, "", 0.5});
  }
  EXPECT_EQ(slurp(path), whole + torn_line);
  Journal reopened(path, header);
  EXPECT_EQ(reopened.finished().size(), 3u);
}

TEST(Journal, ADuplicateIdKeepsTheFirstRecord) {
  const auto contents = parse_journal(
      "{\"outagesim_sweep_journal\":1,\"spec_hash\":\"a\",\"outagesim_version\":\"v\",\"runs\":2}\n" +
          journal_line({1, RunStatus::ok, {1}, "", 0}) + journal_line({1, RunStatus::ok, {2}, "", 0}),
      "j");
  ASSERT_EQ(contents.records.size(), 1u);
  EXPECT_EQ(contents.records[0].metrics[0], 1);
}

TEST(Journal, AnotherSweepsJournalIsRefused) {
  const fs::path path = fresh("other");
  { Journal journal(path, header); }
  JournalHeader other = header;
  other.spec_hash = "ffffffffffffffff";
  try {
    Journal journal(path, other);
    FAIL() << "expected a JournalError";
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("the journal of another sweep"), std::string::npos) << e.what();
  }
}

TEST(Journal, ADamagedLineInTheMiddleIsRefused) {
  const fs::path path = fresh("damaged");
  { Journal journal(path, header); }
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << "garbage\n" << journal_line({0, RunStatus::ok, {1}, "", 0});
  }
  EXPECT_THROW(Journal(path, header), JournalError);
}

TEST(Journal, ASecondSweepCannotOpenALockedJournal) {
  const fs::path path = fresh("locked");
  Journal first(path, header);
  EXPECT_THROW(Journal(path, header), JournalError);
}

}  // namespace
}  // namespace outagesim::experiment
