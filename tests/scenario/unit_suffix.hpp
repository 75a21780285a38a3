// A unit suffix for each number grammar, shared by the tests that feed
// hostile numbers through the loader: with its suffix, a number passes the
// grammar and reaches the range check it is meant to test.
#pragma once

#include "sim/scenario/units.hpp"

#include <string_view>

namespace outagesim::scenario::testing {

inline std::string_view a_suffix_of(Unit grammar) {
  switch (grammar) {
    case Unit::duration:
    case Unit::offset: return "d";
    case Unit::size: return "GB";
    case Unit::bandwidth: return "Gbps";
    case Unit::rate: return " rps";
    case Unit::fraction: return "%";
    default: return "";
  }
}

}  // namespace outagesim::scenario::testing
