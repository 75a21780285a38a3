#include "reference.hpp"

#include "describe.hpp"
#include "known_regions.hpp"

#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace outagesim::scenario {
namespace {

struct Row {
  std::string key, type, required, doc;
};

struct Section {
  std::string path;
  std::vector<Row> rows;
};

std::string unit_type(Unit unit) {
  switch (unit) {
    case Unit::none: return "number";
    case Unit::duration: return "duration";
    case Unit::size: return "size";
    case Unit::bandwidth: return "bandwidth";
    case Unit::rate: return "rate";
    case Unit::fraction: return "fraction";
  }
  return "value";
}

/// Walks the declarations and writes one table per mapping.
class ReferenceVisitor {
 public:
  ReferenceVisitor(std::vector<Section>& sections, std::string path) : sections_(sections), index_(sections.size()) {
    sections_.push_back(Section{std::move(path), {}});
  }

  template <class T>
  void required(std::string_view key, T& value, std::string_view doc) {
    add(key, type_of(key, value), true, doc);
  }
  template <class T>
  void optional(std::string_view key, T& value, std::string_view doc) {
    add(key, type_of(key, value), false, doc);
  }
  void required(std::string_view key, double&, Unit unit, std::string_view doc) { add(key, unit_type(unit), true, doc); }
  void optional(std::string_view key, double&, Unit unit, std::string_view doc) { add(key, unit_type(unit), false, doc); }
  void optional(std::string_view key, std::optional<double>&, Unit unit, std::string_view doc) {
    add(key, unit_type(unit), false, doc);
  }
  void optional(std::string_view key, std::optional<Distribution>&, Unit unit, std::string_view doc) {
    add(key, unit_type(unit) + " or distribution", false, doc);
  }
  void required_time(std::string_view key, TimeSpec&, std::string_view doc) {
    add(key, "time or distribution", true, doc);
  }
  void optional_time(std::string_view key, std::optional<TimeSpec>&, std::string_view doc) {
    add(key, "time or distribution", false, doc);
  }
  void preprocessed(std::string_view key, std::string_view doc) { add(key, "mapping of name to value", false, doc); }
  void timestamp(std::string_view key, double&, std::string_view doc) { add(key, "timestamp", true, doc); }
  template <class Fn>
  void object(std::string_view key, std::string_view doc, Fn&& describe_fields) {
    std::string child = child_path(key);
    add(key, fmt::format("mapping, see [`{}`](#{})", child, anchor(child)), true, doc);
    ReferenceVisitor inner(sections_, child);
    describe_fields(inner);
  }

  static std::string anchor(const std::string& path) {
    std::string a;
    for (char c : path)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') a += c;
    return a;
  }

 private:
  std::string child_path(std::string_view key) const {
    const std::string& base = sections_[index_].path;
    return base == "(top level)" ? std::string(key) : fmt::format("{}.{}", base, key);
  }

  void add(std::string_view key, std::string type, bool required, std::string_view doc) {
    sections_[index_].rows.push_back({std::string(key), std::move(type), required ? "yes" : "no", std::string(doc)});
  }

  std::string type_of(std::string_view, std::string&) { return "string"; }
  std::string type_of(std::string_view, int&) { return "integer"; }
  std::string type_of(std::string_view, std::uint64_t&) { return "integer"; }
  std::string type_of(std::string_view, bool&) { return "`true` or `false`"; }
  std::string type_of(std::string_view, std::vector<std::string>&) { return "list of strings"; }
  template <class T>
  std::string type_of(std::string_view key, std::optional<T>&) {
    T value{};
    return type_of(key, value);
  }
  std::string type_of(std::string_view, std::vector<InstanceCount>&) { return "mapping of region to integer"; }

  template <class E>
    requires requires { EnumNames<E>::values; }
  std::string type_of(std::string_view, E&) {
    std::vector<std::string> names;
    for (const auto& [value, name] : EnumNames<E>::values) names.push_back(fmt::format("`{}`", name));
    return fmt::format("one of {}", fmt::join(names, ", "));
  }

  template <class T>
    requires requires(ReferenceVisitor& v, T& t) { describe(v, t); }
  std::string type_of(std::string_view key, T& value) {
    std::string child = child_path(key);
    ReferenceVisitor inner(sections_, child);
    describe(inner, value);
    std::string type = fmt::format("mapping, see [`{}`](#{})", child, anchor(child));
    if constexpr (requires { T::shorthand; })
      type += fmt::format("; a bare value means `{{{}: value}}`", T::shorthand);
    return type;
  }

  template <class T>
  std::string type_of(std::string_view key, std::vector<T>&) {
    T item{};
    std::string child = child_path(key) + "[]";
    ReferenceVisitor inner(sections_, child);
    describe(inner, item);
    return fmt::format("list, see [`{}`](#{})", child, anchor(child));
  }

  std::vector<Section>& sections_;
  std::size_t index_;
};

constexpr const char* preamble = R"(# Scenario reference

<!-- Generated by `outagesim reference` from sim/scenario/describe.hpp; do not edit by hand.
     tests/scenario/reference_test.cpp fails when this file is stale. -->

A scenario is one YAML file. Every key below is checked: unknown keys, missing
required keys, values of the wrong unit, dangling references and times outside
the run are errors reported as `file:line:column: error: ...`, all of them at
once, with "did you mean" where a name is close to a known one.

## Value types

| type | examples | stored as |
| --- | --- | --- |
| duration | `250ms`, `5s`, `5m`, `2h`, `1d`, `1h30m`, `0` | seconds |
| size | `60KB`, `1MB`, `2GB` (powers of 1000); `64KiB`, `1MiB`, `2GiB` (powers of 1024) | bytes |
| bandwidth | `100Mbps`, `10Gbps`, `1GB/s` | bytes per second |
| rate | `2000 rps`, `50k rps`, `1.5M rps` | requests per second |
| fraction | `28%`, `0.28` | a number in [0, 1] |
| time | `+25m` (offset from `scenario.start`), `08:47` or `08:47:30` (hours:minutes[:seconds] after `scenario.start`), `2025-11-18T11:20:00Z` (absolute, UTC) | seconds from start |
| timestamp | `2025-11-18T11:00:00Z` (ISO-8601, UTC, seconds optional) | seconds since the Unix epoch |
| distribution | a bare value (fixed), or `{dist: uniform, min: 10m, max: 20m}`, `{dist: exp, mean: 5m}`, `{dist: lognormal, median: 20m, p95: 1h}`, `{dist: fixed, value: 5m}`; parameters in the field's unit | drawn once per run from the seed |

Names (providers, services, channels, sites) may not contain `.`; services
and channels are referred to as `provider.service` and `provider.channel`.

## Composition

**Templates.** A provider entry with `use: NAME` extends the template
`providers/NAME.yaml`, looked for in a `providers/` folder next to the
scenario, then next to each folder above it (so every scenario under
`scenarios/` finds `scenarios/providers/`). The template is a provider mapping
without `name`; the entry's own keys win, mappings merge key by key, and lists
of named items (services, channels, variants...) merge by `name`: an item of
the entry with a template item's name overrides its keys, other items are
appended. Problems in a template's values are reported at the template's own
file, line and column. Templates cannot use templates.

**Parameters.** `params:` maps names to single values; `${name}` anywhere in
a value is replaced by the parameter's value before any check, whole
(`share: ${bad_share}`) or inside a string (`capacity: "${cap} rps"`). Quote
a value holding `${...}` inside a flow mapping (`{...}`), where YAML reads the
braces. `outagesim validate` prints the parameters as resolved.

## Overrides

`outagesim run` and `validate` take `--set path=value`, applied to the YAML
before any check, so an overridden value is checked like any other. The path
joins keys with `.`, selects list elements by position (`faults[0]`) or by
their `name` or `id` (`providers.cdn`, or `sites[shop.example]` when the name
holds dots), and the value is YAML: `--set faults[0].at=+30m`,
`--set providers.cdn.channels.features.size=8MB`, `--set scenario.seed=7`,
`--set params.bad_share=50%`. Overrides apply after templates (they can
change a value a template supplied) and before parameters are substituted.
Problems in an override are reported against `--set`.

## Limits

A scenario file may hold at most 16 MiB; a run at most 100,000 instances,
10,000,000 generated sites and 10,000,000 samples (duration / resolution).
Beyond these the scenario is rejected with a message instead of exhausting
memory.

## Random values

Times and durations written as distributions are drawn once per run, each
from its own random stream keyed by the scenario's seed and the value's path
(`faults[0].at`), so the same seed gives the same draws, and adding a random
value elsewhere does not change this one. Drawn times are clamped to the run.

## What `run` simulates today

The language is ahead of the engine. `outagesim validate` accepts everything
described here; `outagesim run` refuses, with exit code 2 and the location of
each, the parts it does not simulate yet rather than ignore them: the traffic
model (`traffic.client_regions`, `diurnal`, `timeout`, `retry`). `validate`
lists them as notes.

**Segments.** An effect on a `segment` fails that segment's share of the
variant's traffic: `{variant: fl1, segment: managed-ruleset, error_rate:
100%}` with a 28% segment makes each fl1 instance fail 28% of its requests.
Effects on one variant add up (segments are disjoint), capped at 100%.

**Instance faults.** Each fault of these kinds starts at `at`, ends after
`duration` when given (restoring what it changed), and reports every change
of an instance or service in events.jsonl with the fault as its cause.
`capacity_loss` leaves its targets `capacity_factor` of their capacity;
`load_surge` multiplies the load offered to the target's service by
`load_factor`. A service serves min(1, capacity left / load offered) of its
requests, so both hurt only once the capacity left falls below the load.
`crash` takes its targets down, back after `down` when given, else until the
`duration` ends or an operator restarts them. `crash_loop` takes them down for
`down`, up for `up`, again and again, all in phase. `restart` takes each
target down for `down` (default 30 s) at a time drawn uniformly in
[`at`, `at` + `jitter`); with no jitter they all go at once (a herd).
`latency_injection` adds `latency` to its targets, shown in events.jsonl;
latency enters availability with the traffic model (client timeouts), not
yet. `partition` takes every instance in `regions` down for clients and turns
off the backbone links between those regions and the others, so config
transfers across fail, in flight or not (inside, the regions still reach each
other); when it heals, the channels send
their cut-off consumers the newest version they missed (pulling consumers
fetch it at their next poll). `route_withdrawal` takes the `provider`'s
instances in `regions` (all regions when none) down for clients, leaving
config transfers alone. Faults on the same instance compose: down if any
holds it down, capacity factors multiply, latencies add. The `restart` action
restarts its targets the same way, each down for 30 s, spread over its
`jitter`; a restart brings back crashed instances.

**DNS** (docs/models/dns.md). A `cached` dependency names either a `target`
service, whose answers its clients keep for `ttl`, or a DNS `record`, and
then reaches whatever service the record resolves to, with the record's
`ttl`. Resolvers refresh uniformly over the TTL, so a change of a record
(a `dns_record_change`, a failover) reaches its clients linearly over one
TTL. A record is answered by its provider's first service; while that
service (or a cached `target`) answers nothing at all, expired answers are
served stale for `serve_stale`, then fail. A record with a `health_check`
checks its primary every `interval`, fails over to its `secondary` after
`failure_threshold` checks in a row with the primary at or below 18%
availability (Route 53's rule), and comes back after as many good ones;
`disable_failover` makes the check count as healthy (back to the primary)
until `enable_failover`.
)";

}  // namespace

std::string scenario_reference_markdown() {
  std::vector<Section> sections;
  Scenario scenario;
  ReferenceVisitor top(sections, "(top level)");
  describe(top, scenario);

  std::string md = preamble;
  md += "\n## Keys\n";
  for (const auto& section : sections) {
    md += fmt::format("\n### <a id=\"{}\"></a>`{}`\n\n| key | type | required | meaning |\n| --- | --- | --- | --- |\n",
                      ReferenceVisitor::anchor(section.path), section.path);
    for (const auto& row : section.rows)
      md += fmt::format("| `{}` | {} | {} | {} |\n", row.key, row.type, row.required, row.doc);
  }
  md += "\n## Well-known regions\n\nThese names need no entry under `regions:`; see docs/models/platform.md for how "
        "latency follows from their coordinates.\n\n| region | city | latitude | longitude |\n| --- | --- | --- | --- |\n";
  for (const auto& r : known_regions())
    md += fmt::format("| `{}` | {} | {} | {} |\n", r.name, r.city, r.latitude_deg, r.longitude_deg);
  return md;
}

}  // namespace outagesim::scenario
