#include "commands.hpp"

#include "sim/engine/loaded_engine.hpp"
#include "sim/metrics/safeguards.hpp"

#include "sim/metrics/display_format.hpp"
#include "sim/scenario/describe.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/market_share.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outagesim::cli {
namespace {

std::string describe_time(const scenario::TimeSpec& t, const scenario::Scenario& s) {
  using metrics::offset;
  if (!t.draw) return metrics::time_in_run(s.start_epoch_s, t.at_s);
  const auto& d = *t.draw;
  switch (d.kind) {
    case scenario::DistributionKind::fixed: return metrics::time_in_run(s.start_epoch_s, d.value);
    case scenario::DistributionKind::uniform: return fmt::format("uniform in {} .. {}", offset(d.min), offset(d.max));
    case scenario::DistributionKind::exp: return fmt::format("exponential, mean {}", offset(d.mean));
    case scenario::DistributionKind::lognormal:
      return fmt::format("lognormal, median {}, p95 {}", offset(d.median), offset(d.p95));
  }
  return "?";
}

/// Sort key: the time, or the distribution's centre.
double centre(const scenario::TimeSpec& t) {
  if (!t.draw) return t.at_s;
  const auto& d = *t.draw;
  switch (d.kind) {
    case scenario::DistributionKind::fixed: return d.value;
    case scenario::DistributionKind::uniform: return (d.min + d.max) / 2;
    case scenario::DistributionKind::exp: return d.mean;
    case scenario::DistributionKind::lognormal: return d.median;
  }
  return 0;
}

/// " on cdn.features" for a bad config push, else "".
std::string on_channel(const scenario::FaultSpec& f) {
  const auto* push = std::get_if<scenario::faults::BadConfigPush>(&f.kind);
  return push ? " on " + push->channel : "";
}

/// " dns.www" or " cloud.api (load balancer)" for disable_failover and
/// enable_failover, else "". The switch of a load balancer is its zone
/// failover: without one it changes nothing, and the line says so.
std::string failover_target(const scenario::Scenario& s, const scenario::ActionSpec& a) {
  auto zone_failover = [&](const std::string& id) {
    for (const auto& p : s.providers)
      for (const auto& service : p.services)
        if (p.name + "." + service.name == id && service.load_balancer)
          return service.load_balancer->zone_failover_below > 0;
    return true;
  };
  auto target = [&](const auto& failover) {
    if (!failover.record.empty()) return " " + failover.record;
    return " " + failover.service +
           (zone_failover(failover.service) ? " (load balancer)"
                                            : " (load balancer without zone failover: nothing to turn off or on)");
  };
  if (const auto* off = std::get_if<scenario::actions::DisableFailover>(&a.kind)) return target(*off);
  if (const auto* on = std::get_if<scenario::actions::EnableFailover>(&a.kind)) return target(*on);
  return "";
}

/// One entry of the timeline validate prints: faults, operator actions, the end.
struct TimelineEntry {
  double sort_key;                ///< the time, or a distribution's centre, in seconds from start
  std::optional<double> at_s;     ///< the time when it is fixed
  std::string when;               ///< "11:20:00Z (+20m00s)", "uniform in +10m00s .. +20m00s", "on diagnosis"
  std::string what;               ///< "fault bad-feature-file (bad_config_push) on cdn.features"
};

std::optional<double> fixed_time(const scenario::TimeSpec& t) {
  if (!t.draw) return t.at_s;
  if (t.draw->kind == scenario::DistributionKind::fixed) return t.draw->value;
  return std::nullopt;
}

std::vector<TimelineEntry> timeline_of(const scenario::Scenario& s) {
  // What an action acts on, as the timeline shows it.
  auto action_object = [](const scenario::ActionSpec& a) -> std::string {
    if (const auto* reroute = std::get_if<scenario::actions::Reroute>(&a.kind))
      return fmt::format(" {}: {} -> {}", reroute->service, reroute->from, reroute->to);
    return std::visit(
        [](const auto& kind) -> std::string {
          if constexpr (requires { kind.channel; }) return " " + kind.channel;
          else return "";
        },
        a.kind);
  };
  std::vector<TimelineEntry> timeline;
  for (const auto& f : s.faults)
    timeline.push_back({centre(f.at), fixed_time(f.at), describe_time(f.at, s),
                        fmt::format("fault {} ({}){}{}", f.id, scenario::kind_name(f.kind), on_channel(f),
                                    f.duration_s ? fmt::format(", for {}", metrics::duration(*f.duration_s)) : "")});
  for (const auto& op : s.operators)
    for (const auto& a : op.actions)
      timeline.push_back({a.at ? centre(*a.at) : s.duration_s, a.at ? fixed_time(*a.at) : std::nullopt,
                          a.at ? describe_time(*a.at, s) : "on diagnosis",
                          fmt::format("operator {}: {}{}{}", op.name, scenario::kind_name(a.kind), action_object(a),
                                      failover_target(s, a))});
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.sort_key < b.sort_key; });
  timeline.push_back({s.duration_s, s.duration_s, metrics::time_in_run(s.start_epoch_s, s.duration_s), "end of run"});
  return timeline;
}

void print_understood(const scenario::Scenario& s) {
  using metrics::duration;
  fmt::print("scenario {}: start {}, duration {}, resolution {}, seed {}\n", s.name,
             scenario::format_utc_timestamp(s.start_epoch_s), duration(s.duration_s), duration(s.output.resolution_s),
             s.seed);
  for (const auto& [name, value] : s.params) fmt::print("  param {} = {}\n", name, value);

  for (const auto& p : s.providers) {
    fmt::print("  provider {} ({}{}): {} services, {} channels, {} records\n", p.name, scenario::enum_name(p.kind),
               p.use.empty() ? "" : ", from template " + p.use, p.services.size(), p.channels.size(), p.records.size());
    for (const auto& service : p.services) {
      int count = static_cast<int>(service.instance_list.size());
      for (const auto& c : service.instances) count += c.count;
      std::string variants;
      if (!service.variants.empty()) {
        std::vector<double> shares;
        for (const auto& v : service.variants) shares.push_back(v.share);
        auto assigned = world::assign_variants(shares, count);
        for (std::size_t v = 0; v < service.variants.size(); ++v)
          variants += fmt::format("{}{} {}", variants.empty() ? " (" : ", ",
                                  std::count(assigned.begin(), assigned.end(), static_cast<int>(v)),
                                  service.variants[v].name);
        variants += ")";
      }
      fmt::print("    service {}.{}: {} instances{}\n", p.name, service.name, count, variants);
      if (const auto& lb = service.load_balancer)
        fmt::print("      behind a load balancer: checks every {}, unhealthy after {} failures, healthy after {} "
                   "passes{}\n",
                   duration(lb->interval_s), lb->unhealthy_threshold, lb->healthy_threshold,
                   lb->zone_failover_below > 0
                       ? fmt::format(", a region withdrawn below {} healthy", metrics::percent(lb->zone_failover_below))
                       : "");
    }
    for (const auto& r : p.records)
      fmt::print("    record {}.{} -> {}, ttl {}{}\n", p.name, r.name, r.points_to, duration(r.ttl_s),
                 r.secondary.empty() ? ""
                 : r.health_check
                     ? fmt::format(", health-checked failover to {} (every {}, after {} failures)", r.secondary,
                                   duration(r.health_check->interval_s), r.health_check->failure_threshold)
                     : fmt::format(", secondary {}", r.secondary));
    for (const auto& c : p.channels)
      fmt::print("    channel {}.{}: {} to {}, {} topology, {} rollout, {} source\n", p.name, c.name, metrics::size(c.size_bytes),
                 c.consumers, scenario::enum_name(c.topology.kind), scenario::enum_name(c.rollout.kind),
                 scenario::enum_name(c.source.kind));
  }
  fmt::print("  {} sites{}\n", s.sites.size(),
             s.traffic.population ? fmt::format(", plus {} generated from a Zipf law", s.traffic.population->sites) : "");
  if (s.traffic.population && s.traffic.population->mix.empty()) {
    fmt::print("    default mix (docs/models/population.md):\n");
    for (const auto& p : s.providers) {
      const auto share = scenario::population_share(p);
      if (!share) continue;
      const bool cdn = p.kind == scenario::ProviderKind::cdn;
      fmt::print("      {}: {} of the sites {} ({} share)\n", p.name, metrics::percent(*share),
                 cdn ? "behind a CDN" : p.kind == scenario::ProviderKind::dns ? "for their names, alone" : "as their origin",
                 p.market_share ? "given" : "published");
    }
  }

  fmt::print("timeline:\n");
  for (const auto& line : timeline_of(s)) fmt::print("  {}  {}\n", line.when, line.what);
}

/// The scenario's safeguards and when they trigger with its seed: the run
/// itself, quietly (no files, no progress). None declared: not run at all.
std::vector<metrics::SafeguardOutcome> simulated_safeguards(const scenario::Scenario& s) {
  const world::World world = world::build(s);
  metrics::SafeguardLog log(world);
  if (log.safeguards().empty()) return {};
  engine::loaded::run(world, log);
  return log.safeguards();
}

void print_safeguards(const scenario::Scenario& s, const std::vector<metrics::SafeguardOutcome>& safeguards) {
  if (safeguards.empty()) return;
  fmt::print("safeguards, as a run with seed {} sets them off:\n", s.seed);
  for (const auto& g : safeguards)
    fmt::print("  {} {}: {}\n", metrics::safeguard_kind_text(g.kind), g.entity,
               metrics::safeguard_triggers_text(s.start_epoch_s, g));
}

/// `validate --json` (docs/outputs.md, "On stdout").
void print_json(const std::string& path, const scenario::Scenario* s, const std::vector<scenario::Diagnostic>& problems,
                const std::vector<metrics::SafeguardOutcome>& safeguards = {}) {
  nlohmann::ordered_json out;
  out["command"] = "validate";
  out["file"] = path;
  out["valid"] = s != nullptr;
  out["diagnostics"] = nlohmann::ordered_json::array();
  for (const auto& d : problems)
    out["diagnostics"].push_back(
        {{"file", d.file}, {"line", d.line}, {"column", d.column}, {"path", d.path}, {"message", d.message}});
  if (s != nullptr) {
    out["scenario"] = {{"name", s->name},
                       {"start", scenario::format_utc_timestamp(s->start_epoch_s)},
                       {"duration_s", s->duration_s},
                       {"resolution_s", s->output.resolution_s},
                       {"seed", s->seed},
                       {"scenario_hash", s->source_hash},
                       {"providers", s->providers.size()},
                       {"sites", s->sites.size()}};
    out["timeline"] = nlohmann::ordered_json::array();
    for (const auto& line : timeline_of(*s))
      out["timeline"].push_back({{"t_s", line.at_s ? nlohmann::ordered_json(*line.at_s) : nlohmann::ordered_json()},
                                 {"when", line.when},
                                 {"what", line.what}});
    out["safeguards"] = nlohmann::ordered_json::array();
    for (const auto& g : safeguards)
      out["safeguards"].push_back({{"kind", metrics::safeguard_kind_name(g.kind)},
                                   {"entity", g.entity},
                                   {"triggered_at", g.triggered_at}});
  }
  std::cout << out.dump(2) << '\n';
}

}  // namespace

int validate_command(const ValidateOptions& options) {
  const std::string& path = options.scenario;
  scenario::Scenario s;
  try {
    std::vector<scenario::Override> overrides;
    for (const auto& o : options.overrides) overrides.push_back(scenario::parse_override(o));
    s = scenario::load(path, overrides);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    std::cerr << fmt::format("{}: {} problem{}\n", path, e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
    if (options.output.json) print_json(path, nullptr, e.diagnostics());
    return exit_bad_input;
  }
  if (options.output.quiet) return exit_ok;
  const auto safeguards = options.simulate ? simulated_safeguards(s) : std::vector<metrics::SafeguardOutcome>{};
  if (options.output.json) {
    print_json(path, &s, {}, safeguards);
  } else {
    fmt::print("{}: valid\n", path);
    print_understood(s);
    print_safeguards(s, safeguards);
  }
  return exit_ok;
}

}  // namespace outagesim::cli
