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

  for (const char* key : {"client_regions", "diurnal", "timeout", "retry"})
    if (written(fmt::format("traffic.{}", key)))
      refuse(fmt::format("traffic.{}", key), fmt::format("the traffic model (traffic.{})", key));
  return out;
}

}  // namespace outagesim::world
