#include "market_share.hpp"

namespace outagesim::scenario {

models::ProviderRole population_role(ProviderKind kind) {
  switch (kind) {
    case ProviderKind::cdn: return models::ProviderRole::cdn;
    case ProviderKind::dns: return models::ProviderRole::dns;
    case ProviderKind::cloud:
    case ProviderKind::saas: break;
  }
  return models::ProviderRole::hosting;
}

std::optional<double> population_share(const ProviderSpec& provider) {
  if (provider.market_share) return provider.market_share;
  const auto role = population_role(provider.kind);
  const auto published = models::reference_market_share(role, provider.name);
  if (!published) return std::nullopt;
  // The DNS survey counts every site a provider answers for; those with a
  // second provider keep resolving when it fails.
  return role == models::ProviderRole::dns ? *published * models::sole_dns_provider_share : *published;
}

}  // namespace outagesim::scenario
