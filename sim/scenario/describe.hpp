// The field declarations of the scenario language, written once. A visitor
// walks them: the loader reads YAML through them, and the same declarations
// are the place a schema or reference generator reads from, so the language,
// its checks and its documentation cannot drift apart.
//
// A visitor V provides:
//   required/optional(key, T& value, doc)                 strings, ints, enums, lists, objects
//   required/optional(key, double& value, Unit, doc)      quantities with units
//   required_time/optional_time(key, double& at_s, doc)   times relative to start
//   timestamp(key, double& epoch_s, doc)                  the run's start, ISO-8601 UTC
//   object(key, doc, fn)                                  a nested map described inline by fn(V&)
#pragma once

#include "scenario.hpp"
#include "units.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace outagesim::scenario {

/// Name tables for enums: the YAML spelling of each value.
template <class E>
struct EnumNames;

template <>
struct EnumNames<Topology> {
  static constexpr std::array values{std::pair{Topology::broadcast, std::string_view{"broadcast"}}};
};
template <>
struct EnumNames<Rollout> {
  static constexpr std::array values{std::pair{Rollout::global, std::string_view{"global"}}};
};
template <>
struct EnumNames<ProviderKind> {
  static constexpr std::array values{std::pair{ProviderKind::cdn, std::string_view{"cdn"}},
                                     std::pair{ProviderKind::cloud, std::string_view{"cloud"}},
                                     std::pair{ProviderKind::dns, std::string_view{"dns"}}};
};
template <>
struct EnumNames<DependencyKind> {
  static constexpr std::array values{std::pair{DependencyKind::hard, std::string_view{"hard"}},
                                     std::pair{DependencyKind::soft, std::string_view{"soft"}}};
};
template <>
struct EnumNames<FaultKind> {
  static constexpr std::array values{std::pair{FaultKind::bad_config_push, std::string_view{"bad_config_push"}}};
};
template <>
struct EnumNames<ActionKind> {
  static constexpr std::array values{std::pair{ActionKind::revert, std::string_view{"revert"}}};
};

template <class E>
constexpr std::string_view enum_name(E value) {
  for (const auto& [v, name] : EnumNames<E>::values)
    if (v == value) return name;
  return "?";
}

template <class V>
void describe(V& v, RegionSpec& r) {
  v.required("name", r.name, "Region name; well-known names have built-in coordinates");
  v.optional("latitude", r.latitude_deg, Unit::none, "Latitude in degrees, for regions without built-in coordinates");
  v.optional("longitude", r.longitude_deg, Unit::none, "Longitude in degrees");
}

template <class V>
void describe(V& v, VariantSpec& s) {
  v.required("name", s.name, "Variant name, e.g. fl1");
  v.required("share", s.share, Unit::fraction, "Share of the service's instances running this variant");
}

template <class V>
void describe(V& v, ServiceSpec& s) {
  v.required("name", s.name, "Service name, unique within its provider");
  v.required("instances", s.instances, "Instance count per region, e.g. {na-east: 4, eu-west: 3}");
  v.required("capacity", s.capacity_rps, Unit::rate, "Requests per second one instance serves");
  v.optional("access_bandwidth", s.access_bandwidth_Bps, Unit::bandwidth,
             "Bandwidth of the link from the backbone to each instance (default 1Gbps)");
  v.optional("variants", s.variants, "Software generations and their shares of instances (default: one)");
}

template <class V>
void describe(V& v, ChannelSpec& c) {
  v.required("name", c.name, "Channel name, unique within its provider");
  v.required("consumers", c.consumers, "Service of the same provider whose instances apply the file");
  v.required("origin", c.origin, "Region of the publisher");
  v.required("size", c.size_bytes, Unit::size, "Size of each config version");
  v.optional("uplink", c.uplink_Bps, Unit::bandwidth, "Bandwidth of the publisher's uplink (default 10Gbps)");
  v.optional("apply_delay", c.apply_delay_s, Unit::duration, "Time a consumer takes to apply a received version");
  v.optional("topology", c.topology, "How versions travel: broadcast from the origin");
  v.optional("rollout", c.rollout, "Rollout policy: global (every consumer at once)");
}

template <class V>
void describe(V& v, ProviderSpec& p) {
  v.required("name", p.name, "Provider name, unique in the scenario");
  v.optional("kind", p.kind, "cdn, cloud or dns");
  v.required("services", p.services, "Services the provider runs");
  v.optional("channels", p.channels, "Config-distribution channels");
}

template <class V>
void describe(V& v, DependencySpec& d) {
  v.required("target", d.target, "The service depended on, as provider.service");
  v.optional("kind", d.kind, "hard (fails with it) or soft (does not affect availability)");
}

template <class V>
void describe(V& v, SiteSpec& s) {
  v.required("name", s.name, "Site name, unique in the scenario");
  v.required("rps", s.rps, Unit::rate, "Requests per second the site receives");
  v.required("depends_on", s.depends_on, "Services the site needs");
}

template <class V>
void describe(V& v, VariantEffect& e) {
  v.required("variant", e.variant, "Variant of the consuming service");
  v.required("error_rate", e.error_rate, Unit::fraction, "Share of requests failing on instances running the version");
}

template <class V>
void describe(V& v, FaultSpec& f) {
  v.required("id", f.id, "Fault identifier, unique in the scenario");
  v.required("kind", f.kind, "Fault kind: bad_config_push");
  v.required("channel", f.channel, "Channel the bad version is pushed through, as provider.channel");
  v.required_time("at", f.at_s, "When the push starts");
  v.optional("size", f.size_bytes, Unit::size, "Size of the bad version (default: the channel's size)");
  v.required("effects", f.effects, "How each variant reacts to the bad version");
}

template <class V>
void describe(V& v, ActionSpec& a) {
  v.required_time("at", a.at_s, "When the action is taken");
  v.required("do", a.kind, "Action: revert (publish the last good version again)");
  v.required("channel", a.channel, "Channel acted on, as provider.channel");
}

template <class V>
void describe(V& v, OperatorSpec& o) {
  v.required("name", o.name, "Operator team name");
  v.required("actions", o.actions, "Actions scripted at given times");
}

template <class V>
void describe(V& v, OutputSpec& o) {
  v.optional("resolution", o.resolution_s, Unit::duration, "Sampling step of the time series (default 1m)");
  v.optional("site_down_below", o.site_down_below, Unit::fraction,
             "A site counts as down while its availability is below this (default 90%)");
}

template <class V>
void describe(V& v, Scenario& s) {
  v.object("scenario", "Name, start, duration and seed of the run", [&](V& header) {
    header.required("name", s.name, "Scenario name, used in run directory names");
    header.timestamp("start", s.start_epoch_s, "Start of the run, ISO-8601 UTC");
    header.required("duration", s.duration_s, Unit::duration, "Length of the simulated run");
    header.optional("seed", s.seed, "Seed of every random draw (default 1)");
  });
  v.optional("regions", s.regions, "Regions with custom coordinates (well-known names need no entry)");
  v.required("providers", s.providers, "CDNs, clouds and DNS providers");
  v.required("sites", s.sites, "Sites and what they depend on");
  v.optional("faults", s.faults, "Faults injected during the run");
  v.optional("operators", s.operators, "Operator teams and their actions");
  v.optional("output", s.output, "Output settings");
}

}  // namespace outagesim::scenario
