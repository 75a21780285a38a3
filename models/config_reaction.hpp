// What an instance does with a config version it applies. The same file can
// crash one software generation and leave another untouched (Cloudflare's FL2
// proxies returned 5xx on the oversized Bot Management file of 2025-11-18,
// FL1 proxies kept serving), so a version carries a reaction per variant.
#pragma once

#include <span>

namespace outagesim::models {

/// Error rate of an instance of `variant` running a version whose reactions
/// are `error_rate_by_variant` (indexed by variant; variants past the end are
/// unaffected). Rates are clamped to [0, 1].
double error_rate_after_apply(std::span<const double> error_rate_by_variant, int variant);

}  // namespace outagesim::models
