// libFuzzer target over the scenario loader and validator: any bytes are a
// scenario file's text. Diagnostics (ScenarioError) are the expected answer to
// bad input; a crash, a sanitizer report, a hang or any other exception is a
// finding. See fuzz/README.md.
#include "load_input.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    outagesim::fuzz::load_input(text, OUTAGESIM_FUZZ_SCENARIO_FILE);
  } catch (const std::exception& e) {
    // The CLI would report this as an internal error (exit 1): a bug. Abort so
    // that libFuzzer keeps the input, after saying what escaped.
    std::fprintf(stderr, "outagesim fuzz: exception escaped the loader: %s\n", e.what());
    std::abort();
  }
  return 0;
}
