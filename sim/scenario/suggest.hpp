// "Did you mean" for misspelt keys and references.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace outagesim::scenario {

/// Edit distance between two strings: insertions, deletions, substitutions
/// and swaps of neighbouring characters each count one.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if close enough to be a plausible typo
/// (at most a third of the word's length, and at least one edit).
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace outagesim::scenario
