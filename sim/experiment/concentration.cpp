#include "concentration.hpp"

#include "sweep_tables.hpp"

#include "sim/metrics/run_directory.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

std::string role_of(scenario::ProviderKind kind) {
  switch (kind) {
    case scenario::ProviderKind::cdn: return "cdn";
    case scenario::ProviderKind::dns: return "dns";
    case scenario::ProviderKind::cloud: return "cloud";
    case scenario::ProviderKind::saas: return "saas";
  }
  return "?";
}

/// Per service: 1 when it is one of `providers`' (directly), or, with
/// `transitive`, when it fails with them through its own dependencies.
std::vector<char> failed_services(const world::World& world, const std::vector<std::string>& providers,
                                  bool transitive) {
  std::vector<char> failed(world.services.size(), 0);
  for (std::size_t s = 0; s < world.services.size(); ++s)
    failed[s] = std::find(providers.begin(), providers.end(), world.services[s].provider) != providers.end();
  if (!transitive) return failed;
  for (int s : world.service_order) {  // every service after those it depends on
    auto& f = failed[static_cast<std::size_t>(s)];
    if (f == 0 && fails_with(world.services[static_cast<std::size_t>(s)].dependencies, failed)) f = 1;
  }
  return failed;
}

double critical_share(const world::World& world, const std::vector<std::string>& providers, bool transitive) {
  if (world.sites.empty()) return 0;
  const std::vector<char> failed = failed_services(world, providers, transitive);
  std::size_t critical = 0;
  for (const auto& site : world.sites) critical += fails_with(site.dependencies, failed) ? 1 : 0;
  return static_cast<double>(critical) / static_cast<double>(world.sites.size());
}

std::size_t sites_using(const world::World& world, const std::vector<std::string>& providers) {
  std::size_t n = 0;
  for (const auto& site : world.sites) {
    bool uses = false;
    for (const auto& d : site.dependencies)
      for (int s : d.services)
        uses = uses || std::find(providers.begin(), providers.end(),
                                 world.services[static_cast<std::size_t>(s)].provider) != providers.end();
    n += uses ? 1 : 0;
  }
  return n;
}

/// The share of all sites one of whose dependencies reaches a service of
/// `providers`, directly or through other services' dependencies: the sites
/// those providers "can affect" (Kashaf et al.), whether or not they fail.
double affected_share(const world::World& world, const std::vector<std::string>& providers) {
  if (world.sites.empty()) return 0;
  std::vector<char> reached(world.services.size(), 0);
  for (std::size_t s = 0; s < world.services.size(); ++s)
    reached[s] = std::find(providers.begin(), providers.end(), world.services[s].provider) != providers.end();
  for (int s : world.service_order) {  // every service after those it depends on
    auto& r = reached[static_cast<std::size_t>(s)];
    for (const auto& d : world.services[static_cast<std::size_t>(s)].dependencies)
      for (int t : d.services) r = r != 0 || reached[static_cast<std::size_t>(t)] != 0;
  }
  std::size_t affected = 0;
  for (const auto& site : world.sites) {
    bool reaches = false;
    for (const auto& d : site.dependencies)
      for (int t : d.services) reaches = reaches || reached[static_cast<std::size_t>(t)] != 0;
    affected += reaches ? 1 : 0;
  }
  return static_cast<double>(affected) / static_cast<double>(world.sites.size());
}

/// The (at most) three of `providers` with the most sites, ties by order.
std::vector<std::string> top_three(const std::vector<std::string>& providers, const std::vector<std::size_t>& users) {
  std::vector<std::size_t> order(providers.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return users[a] > users[b]; });
  std::vector<std::string> top;
  for (std::size_t k = 0; k < order.size() && k < 3; ++k) top.push_back(providers[order[k]]);
  return top;
}

}  // namespace

bool fails_with(const std::vector<world::Dependency>& dependencies, const std::vector<char>& failed) {
  for (const auto& d : dependencies) {
    if (d.share < 1) continue;
    std::size_t down = 0;
    for (int s : d.services) down += failed[static_cast<std::size_t>(s)] != 0 ? 1 : 0;
    const std::size_t n = d.services.size();
    switch (d.rule) {
      case models::DependencyRule::hard:
        if (down > 0) return true;
        break;
      case models::DependencyRule::soft: break;
      case models::DependencyRule::any_of:
        if (n > 0 && down == n) return true;
        break;
      case models::DependencyRule::k_of_n:
        if (n - down < static_cast<std::size_t>(std::max(d.k, 0))) return true;
        break;
      case models::DependencyRule::look_aside:  // a lost cache falls back to its store; a lost store fails its misses
        if (failed[static_cast<std::size_t>(d.services[1])] != 0) return true;
        break;
    }
  }
  return false;
}

std::vector<ConcentrationRow> concentration_of(const scenario::Scenario& scenario, const world::World& world) {
  std::vector<ConcentrationRow> rows;
  std::vector<std::string> roles;
  for (const auto& p : scenario.providers)
    if (std::find(roles.begin(), roles.end(), role_of(p.kind)) == roles.end()) roles.push_back(role_of(p.kind));
  std::vector<std::string> everyone;
  for (const auto& role : roles) {
    std::vector<std::string> providers;
    for (const auto& p : scenario.providers)
      if (role_of(p.kind) == role) providers.push_back(p.name);
    everyone.insert(everyone.end(), providers.begin(), providers.end());
    std::vector<std::size_t> users;
    std::size_t dependencies = 0;
    for (const auto& p : providers) {
      users.push_back(sites_using(world, {p}));
      dependencies += users.back();
    }
    ConcentrationRow total{role, "", sites_using(world, providers), std::nullopt, 0.0,
                           critical_share(world, providers, false), critical_share(world, providers, true),
                           std::nullopt, "", std::nullopt};
    std::vector<ConcentrationRow> provider_rows;
    for (std::size_t k = 0; k < providers.size(); ++k) {
      const double share = dependencies > 0 ? static_cast<double>(users[k]) / static_cast<double>(dependencies) : 0;
      *total.hhi += (100 * share) * (100 * share);
      provider_rows.push_back({role, providers[k], users[k], share, std::nullopt,
                               critical_share(world, {providers[k]}, false), critical_share(world, {providers[k]}, true),
                               std::nullopt, "", std::nullopt});
    }
    if (dependencies == 0) total.hhi.reset();
    total.top3_affected_share = affected_share(world, top_three(providers, users));
    if (role == "dns") {  // Kashaf et al. 2020: 84.8% of the top 100K rely on one third-party DNS provider alone
      total.published = 0.848;
      total.published_source = "Kashaf et al. IMC 2020 (top 100K, single third-party DNS provider, no backup)";
    }
    rows.push_back(std::move(total));
    rows.insert(rows.end(), provider_rows.begin(), provider_rows.end());
  }
  ConcentrationRow any{"any", "", sites_using(world, everyone), std::nullopt, std::nullopt,
                       critical_share(world, everyone, false), critical_share(world, everyone, true), 0.89,
                       "Kashaf et al. IMC 2020 (top 100K critically dependent on a third-party DNS, CDN or CA)",
                       std::nullopt};
  rows.push_back(std::move(any));
  return rows;
}

void write_concentration_csv(std::ostream& out, const std::vector<ConcentrationRow>& rows) {
  out << "role,provider,sites,share,hhi,critical_direct_share,critical_transitive_share,published,published_source,"
         "top3_affected_share\n";
  for (const auto& r : rows)
    out << fmt::format("{},{},{},{},{},{},{},{},{},{}\n", r.role, metrics::csv_field(r.provider), r.sites,
                       format_number(r.share), format_number(r.hhi), format_number(r.critical_direct_share),
                       format_number(r.critical_transitive_share), format_number(r.published),
                       metrics::csv_field(r.published_source), format_number(r.top3_affected_share));
}

}  // namespace outagesim::experiment
