// What `outagesim` loads at start (sim/modules/load_module.hpp,
// bench/README.md "Start-up"): a command that does not simulate loads
// neither SimGrid nor Open MPI; `run` loads the engine module, and with it
// SimGrid, but not MPI. Read from the dynamic loader's own account
// (LD_DEBUG=files), not from timings.
#include "cli_runner.hpp"

#include <gtest/gtest.h>

namespace outagesim::testing {
namespace {

/// The loader's list of the files `args` made it load (on stderr with LD_DEBUG).
std::string files_loaded_by(const std::string& args) {
  const fs::path cwd = fresh_dir("start-up");
  const Outcome o = shell(fmt::format("cd '{}' && LD_DEBUG=files '{}' {} 2>&1 >/dev/null", cwd.string(),
                                      OUTAGESIM_BINARY, args));
  EXPECT_EQ(o.exit_code, 0) << o.out;
  return o.out;
}

bool mentions(const std::string& text, const std::string& file) { return text.find(file) != std::string::npos; }

TEST(StartUp, CommandsThatDoNotSimulateLoadNeitherSimGridNorMpi) {
  for (const std::string& args : {std::string("--version"), "validate --no-simulate '" + example("fault-crash") + "'",
                                 std::string("schema")}) {
    const std::string files = files_loaded_by(args);
    ASSERT_TRUE(mentions(files, "libstdc++")) << "LD_DEBUG=files printed nothing for " << args;
    EXPECT_FALSE(mentions(files, "libsimgrid")) << args;
    EXPECT_FALSE(mentions(files, "libns3")) << args;
    EXPECT_FALSE(mentions(files, "outagesim-engine.so")) << args;
    EXPECT_FALSE(mentions(files, "libmpi")) << args;
    EXPECT_FALSE(mentions(files, "outagesim-mpi.so")) << args;
  }
}

TEST(StartUp, RunLoadsTheEngineModuleAndNotMpi) {
  const fs::path out = fresh_dir("start-up-run");
  const std::string files =
      files_loaded_by(fmt::format("run '{}' --out '{}' --quiet", example("fault-crash"), (out / "r").string()));
  EXPECT_TRUE(mentions(files, "outagesim-engine.so"));
  EXPECT_TRUE(mentions(files, "libsimgrid"));
  EXPECT_FALSE(mentions(files, "libmpi"));
  EXPECT_FALSE(mentions(files, "outagesim-mpi.so"));
  EXPECT_TRUE(fs::exists(out / "r" / "summary.json"));
}

}  // namespace
}  // namespace outagesim::testing
