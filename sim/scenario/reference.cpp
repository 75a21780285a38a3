#include "reference.hpp"

#include "describe.hpp"
#include "known_regions.hpp"
#include "sweep_spec.hpp"

#include <algorithm>
#include <cctype>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace outagesim::scenario {
namespace {

struct Row {
  std::string key, type, required, doc;
};

struct Section {
  std::string path;
  std::vector<Row> rows;
};

std::string unit_type(Unit unit) { return std::string(unit_name(unit)); }

std::string sentence(std::string_view text) {
  std::string s(text);
  if (!s.empty()) s.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(s.front())));
  return s;
}

/// Walks the declarations and writes one table per mapping.
class ReferenceVisitor {
 public:
  ReferenceVisitor(std::vector<Section>& sections, std::string path)
      : sections_(sections), index_(sections.size()), base_(path) {
    sections_.push_back(Section{std::move(path), {}});
  }
  /// A table titled `title` whose nested keys are written under `base`: a
  /// kind of a variant is documented apart, its keys sit in the parent mapping.
  ReferenceVisitor(std::vector<Section>& sections, std::string title, std::string base)
      : sections_(sections), index_(sections.size()), base_(std::move(base)) {
    sections_.push_back(Section{std::move(title), {}});
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

  /// The discriminator's row links each kind's own table, written after this one.
  template <class... Kinds>
  void variant(std::string_view key, std::variant<Kinds...>&, std::string_view noun, std::string_view doc) {
    std::vector<std::string> links;
    ((links.push_back(fmt::format("[`{}`](#{})", Kinds::kind, anchor(kind_title<Kinds>(key))))), ...);
    add(key, fmt::format("one of {}", fmt::join(links, ", ")), true, doc);
    auto document = [&]<class Kind>(Kind*) {
      Kind value{};
      ReferenceVisitor inner(sections_, kind_title<Kind>(key), base_);
      inner.add(key, fmt::format("`{}`", Kind::kind), true, fmt::format("{}: {}", sentence(noun), Kind::summary));
      describe(inner, value);
    };
    (document(static_cast<Kinds*>(nullptr)), ...);
  }

  static std::string anchor(const std::string& path) {
    std::string a;
    for (char c : path)
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') a += c;
    return a;
  }

 private:
  std::string child_path(std::string_view key) const {
    return base_ == "(top level)" ? std::string(key) : fmt::format("{}.{}", base_, key);
  }

  template <class Kind>
  std::string kind_title(std::string_view key) const {
    return fmt::format("{} {}: {}", base_, key, Kind::kind);
  }

  /// Whether a table for `path` is written already: a struct that several
  /// kinds share (a fault's target) gets one.
  bool documented(const std::string& path) const {
    return std::any_of(sections_.begin(), sections_.end(), [&](const Section& s) { return s.path == path; });
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
    if (!documented(child)) {
      ReferenceVisitor inner(sections_, child);
      describe(inner, value);
    }
    std::string type = fmt::format("mapping, see [`{}`](#{})", child, anchor(child));
    if constexpr (requires { T::shorthand; })
      type += fmt::format("; a bare value means `{{{}: value}}`", T::shorthand);
    return type;
  }

  template <class E>
    requires requires { EnumNames<E>::values; }
  std::string type_of(std::string_view key, std::vector<E>&) {
    E item{};
    return "list, each " + type_of(key, item);
  }

  template <class T>
  std::string type_of(std::string_view key, std::vector<T>&) {
    T item{};
    std::string child = child_path(key) + "[]";
    if (!documented(child)) {
      ReferenceVisitor inner(sections_, child);
      describe(inner, item);
    }
    return fmt::format("list, see [`{}`](#{})", child, anchor(child));
  }

  std::vector<Section>& sections_;
  std::size_t index_;
  std::string base_;  ///< the path nested keys are written under
};

constexpr const char* preamble = R"(# Scenario reference

<!-- Generated by `outagesim reference` from sim/scenario/describe.hpp; do not edit by hand.
     tests/scenario/reference_test.cpp fails when this file is stale. -->

A scenario is one YAML file. Every key below is checked: unknown keys, missing
required keys, values of the wrong unit, dangling references and times outside
the run are errors reported as `file:line:column: error: ...`, all of them at
once, with "did you mean" where a name is close to a known one.

A fault takes the keys of its `kind` and an operator action those of its
`do`, each listed in a table of its own below; a key of another kind is
reported with the kind it belongs to. `outagesim schema` gives the same as
a JSON Schema with one branch per kind, so that an editor completes the
keys of the kind written.

## Value types

| type | examples | stored as |
| --- | --- | --- |
| duration | `250ms`, `5s`, `5m`, `2h`, `1d`, `1h30m`, `0` | seconds |
| size | `60KB`, `1MB`, `2GB` (powers of 1000); `64KiB`, `1MiB`, `2GiB` (powers of 1024) | bytes |
| bandwidth | `100Mbps`, `10Gbps`, `1GB/s` | bytes per second |
| rate | `2000 rps`, `50k rps`, `1.5M rps`; a bare `2000` is requests per second | requests per second |
| fraction | `28%`, `0.28` (a bare number is a share of 1, so `percent: 30` is refused: write `30%`) | a number in [0, 1] |
| time | `+25m` (offset from `scenario.start`), `14:30Z` or `14:30:15Z` (that UTC time of day, the first at or after `scenario.start`), `2025-11-18T11:20:00Z` (absolute, UTC); a bare `14:30` is refused as ambiguous | seconds from start |
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
Keys the path names that the scenario leaves out are created
(`--set traffic.retry.max_retries=3` on a scenario without `traffic`); a key
that does not exist is then refused as in the file. Problems in an override
are reported against `--set`.

## Limits

A scenario or template file may hold at most 4 MiB of UTF-8 text in one YAML
document, nested at most 64 deep, its aliases standing for at most 1,000,000
values; a run at most 100,000 instances (of which at most 20,000 consumers
of config channels), 10,000,000 generated sites, and 10,000,000 samples,
traffic steps or events of any one period (duration / period). Every
number must lie in the range of its type (below). Beyond these the scenario
is rejected with a located message instead of exhausting memory or time;
docs/limits.md gives the reason for each limit.

## Random values

Times and durations written as distributions are drawn once per run, each
from its own random stream keyed by the scenario's seed and the value's path
(`faults[0].at`), so the same seed gives the same draws, and adding a random
value elsewhere does not change this one. Drawn times are clamped to the run.

## How `run` reads it

`outagesim run` simulates every part of the language described here.

**Traffic** (docs/models/traffic.md). A site's `rps` is its daily mean;
`traffic.diurnal` and the client regions' `utc_offset` shape it over the day.
A service without `queue` refuses what exceeds its capacity; with `queue`,
the excess waits, clients give up after `timeout` (`traffic.timeout` unless
the queue sets its own) and retry by `traffic.retry` (or the queue's own
`retry`), and work done on requests already given up on is wasted, so an
overload can outlive its trigger. `leases` and `warmup` are work that must be
done however long it takes, re-sent on every timeout. Queues and retries move
in steps of `traffic.step`. A service's capacity is `capacity` requests per
second per instance, or `cpu: {cores, cost}`, cores / cost (the same with one
core and a cost of 1 / capacity). A site with `closed_loop: {users,
think_time}` instead of `rps` sends users / (response time + think time): its
users wait for each answer (up to the timeout) before the next request, so a
queue that slows them lowers their load; its rate in the outputs is users /
think time, as if answered at once.

**Segments.** An effect on a `segment` fails that segment's share of the
variant's traffic: `{variant: fl1, segment: managed-ruleset, error_rate:
100%}` with a 28% segment makes each fl1 instance fail 28% of its requests.
Effects on one variant add up (segments are disjoint), capped at 100%.

**Instance faults.** Each fault of these kinds starts at `at`, ends after
`duration` when given (restoring what it changed), and reports every change
of an instance or service in events.jsonl with the fault as its cause.
`capacity_loss` leaves its targets `capacity_factor` of their capacity
(with `cpu`, a cut of their cores); `request_cost` makes `share` of their
requests cost `cost_factor` times the usual, so they keep 1 / ((1 - share) +
share x cost_factor) of their capacity in requests per second (a restart
does not end it: the requests still come);
`load_surge` multiplies the load offered to the target's service by
`load_factor`; with `regions`, only the load of the users in those client
regions (the service's load grows by the users' mean, docs/models/routing.md),
as `target.regions` limits any fault to the instances there. A service serves min(1, capacity left / load offered) of its
requests, so both hurt only once the capacity left falls below the load. A
`load_factor` below 1 is a fall in demand (users away, traffic moved
elsewhere): the requests not sent are neither served nor failed.
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
`jitter`.

**Which actions end a fault.** A fault without `duration` lasts to the end
of the run unless an action below ends it; one with a `duration` may end
sooner the same way. An operator's `restart` ends a `crash` and a
`capacity_loss` on the instances it restarts: a crashed process restarted
comes back, and a degraded one (CPU exhaustion, a wedged worker pool)
comes back at full capacity; the fault ends once it holds none of its
instances. `remediate` does the same at a pace: `staff` people, each taking
`per_instance` per instance and joining one after the other over
`ramp_up` (or `per_hour` instances an hour), work through the target's
instances a fault holds; each then warms up (`warmup`, default 30 s)
before it serves, and that downtime and its reload herd are charged to the
fault it ended. `revert`, `rollback`, `push_last_known_good` and `kill_switch`
replace a `bad_config_push`'s version (it recovers when no consumer runs
it), and `stop_channel` withdraws it from the consumers it has not reached
yet. `end_fault` ends the fault it names, of any kind but
`bad_config_push`, as if its `duration` ran out when the action is taken
(an attack filtered, a data change rolled back); before the fault begins or
after it ended it does nothing (docs/models/operators.md). Otherwise a
`load_surge`, `crash_loop`, `latency_injection`, `partition`,
`route_withdrawal`, `dns_record_change` or `dns_unreachable` ends only with its `duration`:
they come from outside the process, and the actions that relieve them
(`throttle`, `shed_load`, `scale`, `reroute`, `change_demand`, `shed_at_edge`,
`set_retry_policy`) work around them without ending them. `change_demand`
sets a multiplier of what a service's clients send (the requests not sent
are neither served nor failed); `shed_at_edge` turns away a share of its
first attempts, which fail at once and are not retried; `set_retry_policy`
replaces the fields it gives of its clients' retry policy, for the attempts
that fail from then on (docs/models/traffic.md, "Demand that changes"). docs/outputs.md says when each counts as detected, mitigated
and recovered.

**DNS** (docs/models/dns.md). A `cached` dependency names either a `target`
service, whose answers its clients keep for `ttl`, or a DNS `record`, and
then reaches whatever service the record resolves to, with the record's
`ttl`. Resolvers refresh uniformly over the TTL, so a change of a record
(a `dns_record_change`, a failover) reaches its clients linearly over one
TTL. A record is answered by its provider's first service; while that
service (or a cached `target`) answers nothing at all, expired answers are
served stale for `serve_stale`, then fail. A record that declares
`resolvers` loads its authority with their refreshes, min(resolvers / ttl,
the requests through it) queries per second, through the authority's
capacity and `queue` (whose `retry` is the resolvers'); the share of
refreshes answered decides how many resolvers can refresh, the others
serving stale and then failing, so a `load_surge` (a query flood) or a
partial `capacity_loss` can overload it. On an authority whose records
declare no `resolvers`, which carries no query load, those faults are
refused at validation. A record with a `health_check`
checks its primary every `interval`, fails over to its `secondary` after
`failure_threshold` checks in a row with the primary at or below 18%
availability (Route 53's rule), and comes back after as many good ones;
`disable_failover` makes the check count as healthy (back to the primary)
until `enable_failover`. With `traffic.client_regions`, each client
region's resolvers cache records on their own: a `partition` that cuts a
region off from every authoritative server up makes that region alone
serve stale and then fail, and a fix reaches it only once it can refresh.
`dns_unreachable` does the same to the client `regions` it lists for the
authoritative servers of `provider` (one that answers records) alone,
without a partition: no instance goes down, no link is cut, and every
other region and service is untouched; the failures are charged to it.

**Look-aside caches** (docs/models/caches.md). A service's
`{kind: look_aside, cache: c, store: d, hit_rate: h}` dependency reads
through `c` (a service with `cache: {refill: ...}`) in front of `d`: every
read loads the cache, the share it misses (`1 - h x content held x the
cache's availability`) loads the store, and a read fails only when a miss
fails at the store; a cache that fails sends its reads to the store. The
cache's content falls with a `cache_flush` (its targets' share of the
cache's capacity; with a `duration`, no refill until it ends) and with a
crash or restart of its instances, and refills with time constant
`refill` times the share of misses the store answers. `load_share` on any
dependency sets the share of requests that load it apart from `share`, the
share that needs it to succeed.

**Reroute** (docs/models/operators.md). `{do: reroute, service: s, from: a,
to: b}` makes `s` use `b` wherever it depended on `a`, from the action's time
to the end of the run: Cloudflare's 2025-11-18 bypass of Workers KV to a
prior proxy. `s` must depend on `a`. Offered load still follows the declared
dependencies, so `b` sees no extra load.

**Routing** (docs/models/routing.md). With `traffic.client_regions`, each
service's requests are split over the client regions by user share and
local time of day and sent to the nearest region with instances up (round
trip over the backbone); what a region cannot take spills to the next
nearest, up to each region's capacity. Each client region's view of each
service and the latency this adds are recorded (docs/outputs.md); the
service's own availability is unchanged.
)";

}  // namespace

std::string scenario_reference_markdown() {
  std::vector<Section> sections;
  Scenario scenario;
  ReferenceVisitor top(sections, "(top level)");
  describe(top, scenario);

  std::string md = preamble;
  md += "\n## Ranges\n\nEach number of a scenario is checked against the range of its type, the values the "
        "model can honour. A type other than those in the table above is written as the one in parentheses.\n\n"
        "| type | range | why |\n| --- | --- | --- |\n";
  for (Unit unit : all_units) {
    const Range& range = unit_range(unit);
    const std::string written = unit_grammar(unit) == unit ? "" : fmt::format(" ({})", unit_name(unit_grammar(unit)));
    md += fmt::format("| {}{} | {} | {} |\n", unit_name(unit), written, range.text, range.reason);
  }
  md += fmt::format("| integer | 0 to {} | counts of instances, sites, retries; narrower where a key says so |\n",
                    max_integer);
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

  std::vector<Section> sweep_sections;
  SweepSpec sweep;
  ReferenceVisitor sweep_top(sweep_sections, "sweep");
  describe(sweep_top, sweep);
  md += "\n## Sweep specs\n\nA sweep spec (`scenarios/sweeps/*.yaml`, run by `outagesim sweep`; docs/experiments.md) "
        "varies values of a base scenario by their `--set` paths and collects metrics from every run. Parameter "
        "values and bounds are written as in the scenario (`30%`, `2m`); a drawn value is written back with the "
        "bounds' unit and checked by the scenario loader. `outagesim schema --sweep` prints its JSON Schema.\n";
  for (const auto& section : sweep_sections) {
    md += fmt::format("\n### <a id=\"{}\"></a>`{}`\n\n| key | type | required | meaning |\n| --- | --- | --- | --- |\n",
                      ReferenceVisitor::anchor(section.path), section.path);
    for (const auto& row : section.rows)
      md += fmt::format("| `{}` | {} | {} | {} |\n", row.key, row.type, row.required, row.doc);
  }
  return md;
}

}  // namespace outagesim::scenario
