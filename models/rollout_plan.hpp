// The decisions of a config rollout, as plain functions: who is in each wave,
// who relays to whom in a tree, and whether a health gate trips. The engine
// carries them out in simulated time; here they are tested on their own.
#pragma once

#include "rng.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace outagesim::models {

/// A fixed random order of n consumers (Fisher-Yates from `rng`), so that a
/// small first wave is spread over regions rather than taken from one.
std::vector<int> rollout_order(std::size_t n, Rng& rng);

/// Where each wave ends in the rollout order: wave i covers positions
/// [end(i-1), end(i)), with end(i) = ceil(fraction_i * n). Fractions grow and
/// the last is 1, so the last end is n.
std::vector<std::size_t> wave_ends(std::span<const double> fractions, std::size_t n);

/// Positions fed by the node at `position` of a k-ary relay tree over n
/// consumers, whose first `fanout` positions are fed by the publisher:
/// (position + 1) * fanout ... (position + 1) * fanout + fanout - 1, within n.
std::vector<std::size_t> tree_children(std::size_t position, std::size_t fanout, std::size_t n);

/// Mean of the error rates of the consumers already updated; 0 when none is.
double updated_error_rate(std::span<const double> error_rates);

/// Whether a health gate with this threshold trips on this error rate.
inline bool gate_trips(double error_rate, double threshold) { return error_rate > threshold; }

}  // namespace outagesim::models
