// Random values of a scenario, drawn once per run, each from its own stream
// keyed by the scenario seed and the value's path (models/rng.hpp).
#pragma once

#include "sim/scenario/scenario.hpp"

#include <cstdint>
#include <string_view>

namespace outagesim::world {

/// One draw of `d` from the stream named `key`.
double draw(const scenario::Distribution& d, std::uint64_t seed, std::string_view key);

/// A time in seconds from start: fixed, or drawn and clamped to [0, duration].
double draw_time(const scenario::TimeSpec& t, std::uint64_t seed, std::string_view key, double duration_s);

}  // namespace outagesim::world
