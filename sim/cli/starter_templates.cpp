#include "starter_templates.hpp"

namespace outagesim::cli {
namespace {

constexpr std::string_view site_cdn_dns = R"(# @NAME@: my site behind one CDN and one DNS provider.
#
# Written by `outagesim new site-cdn-dns @NAME@`. Every figure is a
# placeholder: put in your own (docs/scenario-reference.md lists each key).
# The questions: how long is the site down when the CDN pushes a bad
# config that nobody reverts until the on-call engineer finds it, and when
# the DNS provider serves an empty record for 20 minutes?
#   outagesim validate @NAME@.yaml     # what it understood, and the timeline
#   outagesim run @NAME@.yaml          # the run directory and report.html
scenario:
  name: @NAME@
  start: 2025-06-02T14:00:00Z   # any UTC time; +20m below means 20 minutes after it
  duration: 3h
  seed: 1

providers:
  - name: dns
    kind: dns
    services:
      - name: authoritative
        instances: {na-east: 2, eu-west: 2}
        capacity: 500k rps
    records:
      - name: www                # your site's name, served by the CDN
        points_to: cdn.edge
        ttl: 5m                  # resolvers keep an answer this long
  - name: cdn
    kind: cdn
    services:
      - name: edge               # the CDN's PoPs
        instances: {na-east: 4, eu-west: 4, ap-southeast: 2}
        capacity: 20k rps        # per PoP
    channels:
      - name: config             # how the CDN ships configuration to its PoPs
        consumers: edge
        origin: na-east
        size: 1MB

sites:
  - {name: my-site.example, rps: 50k rps, depends_on: [{kind: cached, record: dns.www}]}

faults:
  # The CDN publishes a config that fails every request on its PoPs. A bad
  # config push has no `target`: what it breaks is said by its `effects`,
  # per variant of the consumers (here the one default variant).
  - id: bad-cdn-config
    kind: bad_config_push
    channel: cdn.config
    at: +20m
    effects:
      - {variant: default, error_rate: 100%}
  # The DNS provider serves an empty answer for www: clients fail as their
  # cached answers expire.
  - id: empty-record
    kind: dns_record_change
    record: dns.www
    change: empty
    at: +2h
    duration: 20m

operators:
  - name: cdn-sre
    detection:
      - {metric: error_rate, scope: global, above: 5%, for: 2m, reporting_delay: 1m}
    diagnosis: {dist: lognormal, median: 15m, p95: 40m}
    actions:
      - {on_diagnosis: true, do: revert, channel: cdn.config}

output:
  resolution: 10s
)";

constexpr std::string_view two_cdns_dns_failover = R"(# @NAME@: two CDNs with DNS failover.
#
# Written by `outagesim new two-cdns-dns-failover @NAME@`. Every figure is a
# placeholder: put in your own (docs/scenario-reference.md lists each key).
# The question: when the primary CDN fails, how long until the health-
# checked DNS record moves the site to the secondary, and how many requests
# fail meanwhile? Try a shorter ttl or check interval with
#   outagesim run @NAME@.yaml --set providers.dns.records.www.ttl=30s
scenario:
  name: @NAME@
  start: 2025-06-02T14:00:00Z
  duration: 1h
  seed: 1

providers:
  - name: dns
    kind: dns
    services:
      - name: authoritative
        instances: {na-east: 2, eu-west: 2}
        capacity: 500k rps
    records:
      - name: www
        points_to: cdn-a.edge    # the primary
        secondary: cdn-b.edge    # where the health check fails over to
        ttl: 1m
        health_check: {interval: 30s, failure_threshold: 3}
  - name: cdn-a
    kind: cdn
    services:
      - name: edge
        instances: {na-east: 4, eu-west: 4}
        capacity: 20k rps
    channels:
      - name: config
        consumers: edge
        origin: na-east
        size: 1MB
  - name: cdn-b
    kind: cdn
    services:
      - name: edge
        instances: {na-east: 3, eu-west: 3}
        capacity: 20k rps

sites:
  - {name: my-site.example, rps: 60k rps, depends_on: [{kind: cached, record: dns.www}]}

faults:
  # A bad config on the primary CDN fails every request there; a config
  # push has no `target`, its `effects` say what fails, per variant.
  - id: primary-cdn-bad-config
    kind: bad_config_push
    channel: cdn-a.config
    at: +10m
    effects:
      - {variant: default, error_rate: 100%}

operators:
  - name: cdn-a-sre
    actions:
      - {at: +40m, do: revert, channel: cdn-a.config}

output:
  resolution: 10s
)";

constexpr std::string_view cloud_service_chain = R"(# @NAME@: a cloud region with a service chain.
#
# Written by `outagesim new cloud-service-chain @NAME@`. Every figure is a
# placeholder: put in your own (docs/scenario-reference.md lists each key).
# The question: the site calls an API, the API needs a database, both in one
# cloud region with a second region to spare. What do a database crash in
# the main region and a load surge on the API do to the site?
scenario:
  name: @NAME@
  start: 2025-06-02T14:00:00Z
  duration: 2h
  seed: 1

providers:
  - name: cloud
    kind: cloud
    services:
      - name: api
        instances: {na-east: 4, na-west: 2}
        capacity: 5k rps
        depends_on: [{target: cloud.database}]   # every API request needs the database
      - name: database
        instances: {na-east: 3, na-west: 2}
        capacity: 6k rps         # na-west alone (12k) cannot carry the whole 15k

sites:
  - {name: my-app.example, rps: 15k rps, depends_on: [{target: cloud.api}]}

traffic:
  client_regions:               # where the users are; each is served from the nearest region up
    - {region: na-east, users: 70%, utc_offset: -5h}
    - {region: na-west, users: 30%, utc_offset: -8h}

faults:
  # The database in na-east crashes for 15 minutes.
  - id: database-crash
    kind: crash
    at: +20m
    duration: 15m
    target: {service: cloud.database, regions: [na-east]}
  # Three times the usual load on the API for 10 minutes.
  - id: api-surge
    kind: load_surge
    at: +1h10m
    duration: 10m
    target: {service: cloud.api}
    load_factor: 3

output:
  resolution: 30s
)";

}  // namespace

const std::vector<StarterTemplate>& starter_templates() {
  static const std::vector<StarterTemplate> templates{
      {"site-cdn-dns", "my site behind one CDN and one DNS provider", site_cdn_dns},
      {"two-cdns-dns-failover", "two CDNs with health-checked DNS failover", two_cdns_dns_failover},
      {"cloud-service-chain", "a cloud region with a service chain (a site, an API, a database)", cloud_service_chain},
  };
  return templates;
}

std::string instantiate(const StarterTemplate& t, const std::string& scenario_name) {
  std::string text(t.text);
  const std::string placeholder = "@NAME@";
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + scenario_name.size()))
    text.replace(at, placeholder.size(), scenario_name);
  return text;
}

}  // namespace outagesim::cli
