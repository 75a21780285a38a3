// Deterministic random numbers. Every stream is keyed by the scenario seed and
// the name of what it decides ("faults[0].at"), so adding a draw elsewhere
// never shifts this one, and results do not depend on the standard library's
// distribution implementations (which differ between vendors).
#pragma once

#include <cstdint>
#include <string_view>

namespace outagesim::models {

class Rng {
 public:
  Rng(std::uint64_t seed, std::string_view key);

  /// Next 64 random bits (SplitMix64).
  std::uint64_t next();
  /// Uniform in [0, 1), 53 bits of precision.
  double uniform();
  /// Standard normal, by Box-Muller.
  double normal();

 private:
  std::uint64_t state_;
};

}  // namespace outagesim::models
