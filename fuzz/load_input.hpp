// One fuzz input through the scenario stage: its bytes as a scenario file's
// text, loaded and validated. Shared by the libFuzzer target and the replay
// test, so that a kept crash input is replayed exactly as it was found.
#pragma once

#include "sim/scenario/loader.hpp"

#include <string>

namespace outagesim::fuzz {

/// Loads and validates `text` as the scenario `file` (templates named by
/// `use:` are looked up from that file's folder). Bad input is a ScenarioError
/// and returns false; anything else that escapes is a bug in the loader.
inline bool load_input(const std::string& text, const std::string& file) {
  try {
    scenario::load_from_string(text, file);
    return true;
  } catch (const scenario::ScenarioError&) {
    return false;
  }
}

}  // namespace outagesim::fuzz
