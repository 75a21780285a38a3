// The knee of a mitigation curve (docs/risk.md, "Mitigation curves"): where
// more of a mitigation stops paying as much as it did.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace outagesim::experiment {

struct Knee {
  std::size_t index = 0;  ///< of the sample
  double distance = 0;    ///< from the straight line, with both axes scaled to [0, 1]
};

/// After Kneedle (Satopaa, Albrecht, Irwin and Raghavan, "Finding a
/// 'Kneedle' in a Haystack", ICDCS workshops 2011): with x scaled to [0, 1]
/// from the first sample to the last, and y scaled so that it goes from 0 at
/// the first sample to 1 at the last, the knee is the sample where y - x is
/// largest, that is where the curve has covered the most of its total change
/// ahead of the straight line. Kneedle's own threshold is made for densely
/// sampled curves; a mitigation curve has a handful of levels, so instead a
/// knee must be `min_distance` ahead of the line, and the curve monotone (a
/// curve that goes up and down has no single change to be ahead of). None
/// otherwise, when the curve does not change, or for fewer than three
/// samples. `x` must increase.
inline constexpr double min_knee_distance = 0.1;

std::optional<Knee> knee_of(const std::vector<double>& x, const std::vector<double>& y,
                            double min_distance = min_knee_distance);

}  // namespace outagesim::experiment
