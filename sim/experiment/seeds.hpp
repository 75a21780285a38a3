// Every random number of a sweep derives from the sweep seed, so a sweep is
// a pure function of its spec: the design's draws come from one splitmix64
// stream, and each run's scenario seed from a documented hash of
// (sweep seed, point, replication) (docs/experiments.md, "Seeds").
#pragma once

#include <cstddef>
#include <cstdint>

namespace outagesim::experiment {

/// splitmix64's finaliser (Steele, Lea and Flood 2014): a bijection of 64 bits with good avalanche.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// The scenario seed of run (point, replication):
/// splitmix64(splitmix64(splitmix64(sweep_seed) ^ point) ^ replication), kept to
/// 53 bits so it is exact wherever a reader turns it into a double.
constexpr std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t point, std::size_t replication) {
  std::uint64_t h = splitmix64(sweep_seed);
  h = splitmix64(h ^ static_cast<std::uint64_t>(point));
  h = splitmix64(h ^ static_cast<std::uint64_t>(replication));
  return h & ((1ull << 53) - 1);
}

/// A deterministic stream of draws for the designs (splitmix64 as a generator).
class DesignRng {
 public:
  explicit DesignRng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1), 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in 0..n-1 (n > 0), without modulo bias.
  std::size_t below(std::size_t n) {
    const std::uint64_t limit = ~0ull - (~0ull % n);
    std::uint64_t x = next();
    while (x >= limit) x = next();
    return static_cast<std::size_t>(x % n);
  }

 private:
  std::uint64_t state_;
};

}  // namespace outagesim::experiment
