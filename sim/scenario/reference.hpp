// docs/scenario-reference.md, generated from the same field declarations the
// loader reads with (describe.hpp), so the reference cannot go stale unseen:
// a test compares the checked-in copy with this output.
#pragma once

#include <string>

namespace outagesim::scenario {

/// The scenario language reference as Markdown.
std::string scenario_reference_markdown();

}  // namespace outagesim::scenario
