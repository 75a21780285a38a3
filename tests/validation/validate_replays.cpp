// Generates docs/validation.md: every replay as committed, the ablations of
// its predicted rows and its 30-run validation ensemble, scored by
// replay_scoring.hpp (scripts/validate-replays.sh runs it; the test
// ValidationDoc.IsCurrent checks the committed file against the same code).
//
//   outagesim_validate_replays [OUT.md] [--jobs N]
#include "tests/validation/replay_ensemble.hpp"

#include <cstring>
#include <iostream>

int main(int argc, char** argv) {
  using namespace outagesim::validation;
  std::string out;
  int jobs = 2;
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--jobs") == 0 && k + 1 < argc) {
      jobs = std::atoi(argv[++k]);
    } else {
      out = argv[k];
    }
  }
  try {
    std::vector<ReplayValidation> all;
    const auto work = outagesim::testing::fresh_dir("validate-replays");
    for (const auto& name : replays()) {
      std::cerr << "validating " << name << "\n";
      all.push_back(validate_replay(name, work, jobs));
    }
    const std::string md = render_validation_doc(all);
    if (out.empty()) {
      std::cout << md;
    } else {
      std::ofstream(out) << md;
      std::cerr << "wrote " << out << "\n";
    }
    fs::remove_all(work);
  } catch (const std::exception& e) {
    std::cerr << "validate-replays: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
