#!/usr/bin/env python3
"""Writes a synthetic scenario of a given scale for macro benchmarks.

One CDN with POPS PoPs spread over the well-known regions (two proxy
variants), one global config channel, SITES sites depending on it, one bad
push and its revert, over DURATION at RESOLUTION.

With `population`, the sites are a generated traffic.population instead:
SITES sites over 32 dependency classes (the CDN directly or through a
cached DNS record, alone or with a fallback CDN, with one of two clouds,
with or without a soft login service), and no per-site series.

usage: generate_scenario.py POPS SITES DURATION RESOLUTION [population] > scenario.yaml
"""
import sys

REGIONS = ["na-east", "na-central", "na-west", "sa-east", "eu-west", "eu-central", "eu-north",
           "me-central", "af-south", "ap-south", "ap-southeast", "ap-east", "ap-northeast", "oc-east"]


def main():
    pops, sites, duration, resolution = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    population = len(sys.argv) > 5 and sys.argv[5] == "population"
    counts = {r: pops // len(REGIONS) for r in REGIONS}
    for r in REGIONS[: pops % len(REGIONS)]:
        counts[r] += 1
    instances = ", ".join(f"{r}: {n}" for r, n in counts.items() if n > 0)
    out = [
        f"scenario: {{name: scale-{pops}-{sites}, start: 2025-11-18T00:00:00Z, duration: {duration}, seed: 1}}",
        "providers:",
        "  - name: cdn",
        "    services:",
        f"      - {{name: proxy, instances: {{{instances}}}, capacity: 100k rps,",
        "         variants: [{name: fl1, share: 40%}, {name: fl2, share: 60%}]}",
        "    channels: [{name: features, consumers: proxy, origin: na-east, size: 1MB, apply_delay: 1s}]",
    ]
    if population:
        out += population_lines(sites)
    else:
        out += ["sites:"]
        out += [f"  - {{name: site{i}, rps: {1 + i % 97} rps, depends_on: [{{target: cdn.proxy}}]}}" for i in range(sites)]
    out += [
        "faults:",
        "  - {id: bad-push, kind: bad_config_push, channel: cdn.features, at: +1h,",
        "     effects: [{variant: fl2, error_rate: 100%}]}",
        "operators:",
        "  - {name: sre, actions: [{at: +3h, do: revert, channel: cdn.features}]}",
        f"output: {{resolution: {resolution}}}",
    ]
    print("\n".join(out))


def population_lines(sites):
    out = [
        "  - name: backup",
        "    services: [{name: proxy, instances: {na-east: 10, eu-west: 10}, capacity: 100k rps}]",
        "  - name: dns",
        "    services: [{name: auth, instances: {na-east: 3, eu-west: 3}, capacity: 1M rps}]",
        "    records: [{name: www, points_to: cdn.proxy, secondary: backup.proxy, ttl: 5m}]",
    ]
    for cloud in ("cloud1", "cloud2"):
        out += [f"  - name: {cloud}",
                "    services: [{name: compute, instances: {na-east: 10, eu-west: 10}, capacity: 100k rps}]"]
    out += [
        "  - name: idp",
        "    services: [{name: login, instances: {na-east: 4}, capacity: 1M rps}]",
        "traffic:",
        "  population:",
        f"    sites: {sites}",
        "    total_rps: 2M rps",
        "    mix:",
    ]
    edges = ["{target: cdn.proxy}", "{kind: cached, record: dns.www, serve_stale: 1h}",
             "{kind: any_of, targets: [cdn.proxy, backup.proxy]}", "{target: cdn.proxy, share: 50%}"]
    k = 0
    for edge in edges:
        for cloud in ("cloud1", "cloud2"):
            for login in (False, True):
                for backup in (False, True):
                    deps = [edge, f"{{target: {cloud}.compute}}"]
                    if login:
                        deps.append("{kind: soft, target: idp.login}")
                    if backup:
                        deps.append("{kind: soft, target: backup.proxy}")
                    out.append(f"      - {{name: c{k}, share: 0.03125, depends_on: [{', '.join(deps)}]}}")
                    k += 1
    return out


if __name__ == "__main__":
    main()
