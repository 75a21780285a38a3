#include "sim/scenario/reference.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace outagesim::scenario {
namespace {

TEST(Reference, CheckedInCopyIsUpToDate) {
  std::ifstream in(OUTAGESIM_SOURCE_DIR "/docs/scenario-reference.md");
  std::stringstream checked_in;
  checked_in << in.rdbuf();
  EXPECT_TRUE(checked_in.str() == scenario_reference_markdown())
      << "docs/scenario-reference.md is stale; regenerate it with `make docs`";
}

TEST(Reference, DocumentsEveryDeclaredSection) {
  std::string md = scenario_reference_markdown();
  for (const char* section : {"`scenario`", "`providers[].services[]`", "`providers[].services[].variants[]`",
                              "`providers[].channels[]`", "`sites[].depends_on[]`", "`faults[].effects[]`",
                              "`operators[].actions[]`", "`output`"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
  EXPECT_NE(md.find("| `name` | string | yes |"), std::string::npos);
  EXPECT_NE(md.find("| `capacity` | rate | no | Requests per second one instance serves (give this or cpu) |"), std::string::npos);
  EXPECT_NE(md.find("one of `hard`, `soft`"), std::string::npos);
}

}  // namespace
}  // namespace outagesim::scenario
