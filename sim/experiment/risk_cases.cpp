#include "risk_cases.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace outagesim::experiment {
namespace {

/// "+600s, duration: 1800s": the templates' common keys.
std::string timing_keys(const FaultTiming& t) {
  return fmt::format("at: \"+{}s\", duration: {}s", t.at_s, t.for_s);
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

std::vector<int> services_of_provider(const world::World& world, const std::string& provider) {
  std::vector<int> services;
  for (std::size_t s = 0; s < world.services.size(); ++s)
    if (world.services[s].provider == provider) services.push_back(static_cast<int>(s));
  return services;
}

/// The services every request of a site through `d` needs when the
/// dependency is critical (one target, or alternatives all of one set), for
/// the exposure walk: every target of the dependency.
void add_targets(const world::Dependency& d, std::vector<int>& out) {
  out.insert(out.end(), d.services.begin(), d.services.end());
}

}  // namespace

std::string_view template_name(FaultTemplate t) {
  switch (t) {
    case FaultTemplate::outage: return "outage";
    case FaultTemplate::bad_push: return "bad_push";
    case FaultTemplate::regional: return "regional";
  }
  return "?";
}

bool parse_template(std::string_view name, FaultTemplate& out) {
  for (FaultTemplate t : {FaultTemplate::outage, FaultTemplate::bad_push, FaultTemplate::regional}) {
    if (template_name(t) == name) {
      out = t;
      return true;
    }
  }
  return false;
}

FaultTiming default_timing(double duration_s) {
  return {std::min(600.0, std::floor(duration_s / 6)), std::min(1800.0, std::floor(duration_s / 2))};
}

std::vector<RiskCase> risk_cases(const scenario::Scenario& scenario, const world::World& world,
                                 const std::vector<FaultTemplate>& templates, const FaultTiming& timing) {
  auto wanted = [&](FaultTemplate t) { return std::find(templates.begin(), templates.end(), t) != templates.end(); };
  std::vector<RiskCase> cases;
  if (wanted(FaultTemplate::outage)) {
    for (const auto& provider : scenario.providers) {
      const std::vector<int> services = services_of_provider(world, provider.name);
      if (services.empty()) continue;
      // A whole provider: its routes withdrawn everywhere, every instance of
      // every service unreachable at once.
      const std::string list = fmt::format("{{id: {}, kind: route_withdrawal, provider: {}, {}}}", risk_fault_id,
                                           quoted(provider.name), timing_keys(timing));
      cases.push_back({provider.kind == scenario::ProviderKind::dns ? "dns_provider" : "provider", provider.name,
                       FaultTemplate::outage, "[" + list + "]", services});
    }
    for (std::size_t s = 0; s < world.services.size(); ++s) {
      const auto& service = world.services[s];
      // A provider of one service is its service: the provider's row says it.
      if (services_of_provider(world, service.provider).size() < 2) continue;
      cases.push_back({"service", service.id, FaultTemplate::outage,
                       fmt::format("[{{id: {}, kind: crash, target: {{service: {}}}, {}}}]", risk_fault_id,
                                   quoted(service.id), timing_keys(timing)),
                       {static_cast<int>(s)}});
    }
  }
  if (wanted(FaultTemplate::regional)) {
    for (std::size_t r = 0; r < world.platform.regions.size(); ++r) {
      std::vector<int> services;
      for (std::size_t s = 0; s < world.services.size(); ++s)
        for (int i : world.services[s].instances)
          if (world.instances[static_cast<std::size_t>(i)].region == static_cast<int>(r)) {
            services.push_back(static_cast<int>(s));
            break;
          }
      if (services.empty()) continue;
      const std::string& name = world.platform.regions[r].name;
      cases.push_back({"region", name, FaultTemplate::regional,
                       fmt::format("[{{id: {}, kind: partition, regions: [{}], {}}}]", risk_fault_id, quoted(name),
                                   timing_keys(timing)),
                       services});
    }
  }
  if (wanted(FaultTemplate::bad_push)) {
    for (const auto& channel : world.channels) {
      // Every variant of every service the channel feeds (`also_feeds`
      // included) fails: an effect names its service when there are several.
      const bool several = channel.services.size() > 1;
      std::string effects;
      for (int fed : channel.services) {
        const auto& consumers = world.services[static_cast<std::size_t>(fed)];
        const std::string service = several ? fmt::format(", service: {}", quoted(consumers.id)) : "";
        for (const auto& variant : consumers.variants)
          effects += fmt::format("{}{{variant: {}, error_rate: 100%{}}}", effects.empty() ? "" : ", ", quoted(variant),
                                 service);
      }
      cases.push_back({"channel", channel.id, FaultTemplate::bad_push,
                       fmt::format("[{{id: {}, kind: bad_config_push, channel: {}, effects: [{}], {}}}]",
                                   risk_fault_id, quoted(channel.id), effects, timing_keys(timing)),
                       channel.services});
    }
  }
  return cases;
}

namespace {

/// Per service: whether its dependency closure (itself included) holds one of `hit`.
std::vector<char> reaches(const world::World& world, const std::vector<int>& hit) {
  std::vector<char> reach(world.services.size(), 0);
  for (int s : hit) reach[static_cast<std::size_t>(s)] = 1;
  // service_order puts every service after the services it depends on.
  for (int s : world.service_order) {
    std::vector<int> targets;
    for (const auto& d : world.services[static_cast<std::size_t>(s)].dependencies) add_targets(d, targets);
    for (int t : targets)
      if (reach[static_cast<std::size_t>(t)]) reach[static_cast<std::size_t>(s)] = 1;
  }
  return reach;
}

struct Exposure {
  double exposed = 0;
  double indirect = 0;
};

Exposure exposure(const world::World& world, const std::vector<int>& services) {
  const std::vector<char> reach = reaches(world, services);
  const std::set<int> hit(services.begin(), services.end());
  Exposure e;
  for (const auto& site : world.sites) {
    std::vector<int> targets;
    for (const auto& d : site.dependencies) add_targets(d, targets);
    const bool exposed = std::any_of(targets.begin(), targets.end(), [&](int t) { return reach[static_cast<std::size_t>(t)] != 0; });
    if (!exposed) continue;
    e.exposed += site.rps;
    const bool direct = std::any_of(targets.begin(), targets.end(), [&](int t) { return hit.contains(t); });
    if (!direct) e.indirect += site.rps;
  }
  return e;
}

}  // namespace

std::optional<double> indirect_exposure_share(const world::World& world, const std::vector<int>& services) {
  const Exposure e = exposure(world, services);
  if (e.exposed <= 0) return std::nullopt;
  return e.indirect / e.exposed;
}

double exposed_rps(const world::World& world, const std::vector<int>& services) {
  return exposure(world, services).exposed;
}

}  // namespace outagesim::experiment
