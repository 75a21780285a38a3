// The scenario language is ahead of the engine: it can describe staged
// rollouts, DNS, traffic and operator models that the engine does not simulate
// yet. Rather than run such a scenario and quietly ignore what it says, `run`
// refuses it and names each part, located in the file; `validate` lists them
// as notes. This list shrinks as the event-core and traffic work lands.
#include "world.hpp"

#include "sim/scenario/describe.hpp"
#include "sim/scenario/source_map.hpp"

#include <fmt/format.h>

namespace outagesim::world {

std::vector<scenario::Diagnostic> unsupported_features(const scenario::Scenario& s) {
  const scenario::SourceMap fallback(s.file);
  const scenario::SourceMap& sources = s.sources ? *s.sources : fallback;
  std::vector<scenario::Diagnostic> out;
  auto refuse = [&](const std::string& path, std::string_view what) {
    out.push_back(sources.at(path, fmt::format("{} is part of the scenario language but not simulated yet; "
                                               "`outagesim validate` accepts it, `run` cannot",
                                               what)));
  };
  auto written = [&](const std::string& path) { return sources.has(path); };

  for (std::size_t p = 0; p < s.providers.size(); ++p) {
    const auto& provider = s.providers[p];
    const std::string ppath = fmt::format("providers[{}]", p);
    if (!provider.records.empty()) refuse(ppath + ".records", "DNS resolution and failover (records)");
    for (std::size_t c = 0; c < provider.channels.size(); ++c) {
      const auto& channel = provider.channels[c];
      const std::string cpath = fmt::format("{}.channels[{}]", ppath, c);
      if (channel.topology.kind != scenario::TopologyKind::broadcast)
        refuse(cpath + ".topology", fmt::format("topology {}", scenario::enum_name(channel.topology.kind)));
      if (channel.rollout.kind != scenario::RolloutKind::global) refuse(cpath + ".rollout", "a staged rollout");
      if (channel.source.kind != scenario::SourceKind::manual) refuse(cpath + ".source", "a generator source");
      if (channel.last_known_good) refuse(cpath + ".last_known_good", "last-known-good fallback");
    }
  }
  auto check_dependencies = [&](const std::vector<scenario::DependencySpec>& deps, const std::string& path) {
    for (std::size_t d = 0; d < deps.size(); ++d)
      if (deps[d].kind == scenario::DependencyKind::cached)
        refuse(fmt::format("{}[{}].kind", path, d), "a cached dependency (TTL, serve-stale)");
  };
  for (std::size_t p = 0; p < s.providers.size(); ++p)
    for (std::size_t i = 0; i < s.providers[p].services.size(); ++i)
      check_dependencies(s.providers[p].services[i].depends_on, fmt::format("providers[{}].services[{}].depends_on", p, i));
  for (std::size_t i = 0; i < s.sites.size(); ++i)
    check_dependencies(s.sites[i].depends_on, fmt::format("sites[{}].depends_on", i));
  if (s.traffic.population)
    for (std::size_t m = 0; m < s.traffic.population->mix.size(); ++m)
      check_dependencies(s.traffic.population->mix[m].depends_on, fmt::format("traffic.population.mix[{}].depends_on", m));

  for (const char* key : {"client_regions", "diurnal", "timeout", "retry"})
    if (written(fmt::format("traffic.{}", key)))
      refuse(fmt::format("traffic.{}", key), fmt::format("the traffic model (traffic.{})", key));

  for (std::size_t f = 0; f < s.faults.size(); ++f) {
    const auto& fault = s.faults[f];
    const std::string path = fmt::format("faults[{}]", f);
    if (fault.kind != scenario::FaultKind::bad_config_push)
      refuse(path + ".kind", fmt::format("a {} fault", scenario::enum_name(fault.kind)));
    for (std::size_t e = 0; e < fault.effects.size(); ++e)
      if (!fault.effects[e].segment.empty())
        refuse(fmt::format("{}.effects[{}].segment", path, e), "an effect on one traffic segment");
  }
  for (std::size_t o = 0; o < s.operators.size(); ++o) {
    const auto& op = s.operators[o];
    const std::string path = fmt::format("operators[{}]", o);
    if (!op.detection.empty()) refuse(path + ".detection", "operator detection rules");
    if (op.diagnosis) refuse(path + ".diagnosis", "operator diagnosis");
    for (std::size_t a = 0; a < op.actions.size(); ++a) {
      const auto& action = op.actions[a];
      const std::string apath = fmt::format("{}.actions[{}]", path, a);
      if (action.kind != scenario::ActionKind::revert)
        refuse(apath + ".do", fmt::format("the {} action", scenario::enum_name(action.kind)));
      if (action.on_diagnosis) refuse(apath + ".on_diagnosis", "an action decided by the operator model");
    }
  }
  return out;
}

}  // namespace outagesim::world
