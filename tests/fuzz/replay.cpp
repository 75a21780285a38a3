// Replays kept fuzz inputs through the loader and validator exactly as the
// fuzzer runs them (fuzz/load_input.hpp), in a normal build: each must be
// accepted or rejected with diagnostics, never crash, hang or throw anything
// else. Usage: outagesim_fuzz_replay FILE...
#include "fuzz/load_input.hpp"

#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::cerr << argv[i] << ": cannot open\n";
      ++failures;
      continue;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    try {
      const bool accepted = outagesim::fuzz::load_input(bytes.str(), OUTAGESIM_FUZZ_SCENARIO_FILE);
      std::cout << argv[i] << ": " << (accepted ? "accepted" : "rejected with diagnostics") << "\n";
    } catch (const std::exception& e) {
      std::cerr << argv[i] << ": exception escaped the loader: " << e.what() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
