#include "commands.hpp"

#include "sim/scenario/describe.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/market_share.hpp"
#include "sim/scenario/units.hpp"
#include "sim/world/world.hpp"

#include <algorithm>
#include <iostream>
#include <map>

#include <fmt/format.h>

namespace outagesim::cli {
namespace {

std::string describe_time(const scenario::TimeSpec& t, const scenario::Scenario& s) {
  auto utc = [&](double at) { return fmt::format("{} (+{:g} s)", scenario::format_utc_timestamp(s.start_epoch_s + at), at); };
  if (!t.draw) return utc(t.at_s);
  const auto& d = *t.draw;
  switch (d.kind) {
    case scenario::DistributionKind::fixed: return utc(d.value);
    case scenario::DistributionKind::uniform: return fmt::format("uniform in +{:g} s .. +{:g} s", d.min, d.max);
    case scenario::DistributionKind::exp: return fmt::format("exponential, mean +{:g} s", d.mean);
    case scenario::DistributionKind::lognormal:
      return fmt::format("lognormal, median +{:g} s, p95 +{:g} s", d.median, d.p95);
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

/// " dns.www" or " cloud.api" for disable_failover and enable_failover, else "".
std::string failover_target(const scenario::ActionSpec& a) {
  auto target = [](const auto& failover) {
    return " " + (failover.record.empty() ? failover.service + " (load balancer)" : failover.record);
  };
  if (const auto* off = std::get_if<scenario::actions::DisableFailover>(&a.kind)) return target(*off);
  if (const auto* on = std::get_if<scenario::actions::EnableFailover>(&a.kind)) return target(*on);
  return "";
}

void print_understood(const scenario::Scenario& s) {
  fmt::print("scenario {}: start {}, duration {:g} s, resolution {:g} s, seed {}\n", s.name,
             scenario::format_utc_timestamp(s.start_epoch_s), s.duration_s, s.output.resolution_s, s.seed);
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
        fmt::print("      behind a load balancer: checks every {:g} s, unhealthy after {} failures, healthy after {} "
                   "passes{}\n",
                   lb->interval_s, lb->unhealthy_threshold, lb->healthy_threshold,
                   lb->zone_failover_below > 0
                       ? fmt::format(", a region withdrawn below {:g}% healthy", lb->zone_failover_below * 100)
                       : "");
    }
    for (const auto& r : p.records)
      fmt::print("    record {}.{} -> {}, ttl {:g} s{}\n", p.name, r.name, r.points_to, r.ttl_s,
                 r.secondary.empty() ? ""
                 : r.health_check
                     ? fmt::format(", health-checked failover to {} (every {:g} s, after {} failures)", r.secondary,
                                   r.health_check->interval_s, r.health_check->failure_threshold)
                     : fmt::format(", secondary {}", r.secondary));
    for (const auto& c : p.channels)
      fmt::print("    channel {}.{}: {:g} bytes to {}, {} topology, {} rollout, {} source\n", p.name, c.name, c.size_bytes,
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
      fmt::print("      {}: {:.3g}% of the sites {} ({} share)\n", p.name, *share * 100,
                 cdn ? "behind a CDN" : p.kind == scenario::ProviderKind::dns ? "for their names, alone" : "as their origin",
                 p.market_share ? "given" : "published");
    }
  }

  struct Line {
    double t;
    std::string text;
  };
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
  std::vector<Line> timeline;
  for (const auto& f : s.faults)
    timeline.push_back({centre(f.at), fmt::format("{}  fault {} ({}){}{}", describe_time(f.at, s), f.id,
                                                  scenario::kind_name(f.kind), on_channel(f),
                                                  f.duration_s ? fmt::format(", for {:g} s", *f.duration_s) : "")});
  for (const auto& op : s.operators)
    for (const auto& a : op.actions)
      timeline.push_back({a.at ? centre(*a.at) : s.duration_s,
                          fmt::format("{}  operator {}: {}{}{}", a.at ? describe_time(*a.at, s) : "on diagnosis", op.name,
                                      scenario::kind_name(a.kind), action_object(a), failover_target(a))});
  std::stable_sort(timeline.begin(), timeline.end(), [](const Line& a, const Line& b) { return a.t < b.t; });
  fmt::print("timeline:\n");
  for (const auto& line : timeline) fmt::print("  {}\n", line.text);
  fmt::print("  {} (+{:g} s)  end of run\n", scenario::format_utc_timestamp(s.start_epoch_s + s.duration_s), s.duration_s);
}

}  // namespace

int validate_command(const std::string& path, const std::vector<std::string>& override_arguments) {
  scenario::Scenario s;
  try {
    std::vector<scenario::Override> overrides;
    for (const auto& o : override_arguments) overrides.push_back(scenario::parse_override(o));
    s = scenario::load(path, overrides);
  } catch (const scenario::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.to_string() << '\n';
    std::cerr << fmt::format("{}: {} problem{}\n", path, e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
    return exit_bad_input;
  }
  fmt::print("{}: valid\n", path);
  print_understood(s);
  return exit_ok;
}

}  // namespace outagesim::cli
