// Which providers a generated site population uses when it gives no mix
// (docs/models/population.md): shared by validation, which checks the shares,
// and the world builder, which generates the sites.
#pragma once

#include "models/web_reference.hpp"
#include "scenario.hpp"

#include <optional>

namespace outagesim::scenario {

/// What a provider of this kind does for the sites that use it.
models::ProviderRole population_role(ProviderKind kind);

/// The provider's share in models::ProviderShare terms: its `market_share`,
/// else the published figure for its name (for DNS, narrowed to the sites
/// with no backup provider), else nullopt.
std::optional<double> population_share(const ProviderSpec& provider);

}  // namespace outagesim::scenario
