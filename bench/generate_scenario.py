#!/usr/bin/env python3
"""Writes a synthetic scenario of a given scale for macro benchmarks.

One CDN with POPS PoPs spread over the well-known regions (two proxy
variants), one global config channel, SITES sites depending on it, one bad
push and its revert, over DURATION at RESOLUTION.

usage: generate_scenario.py POPS SITES DURATION RESOLUTION > scenario.yaml
"""
import sys

REGIONS = ["na-east", "na-central", "na-west", "sa-east", "eu-west", "eu-central", "eu-north",
           "me-central", "af-south", "ap-south", "ap-southeast", "ap-east", "ap-northeast", "oc-east"]


def main():
    pops, sites, duration, resolution = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
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
        "sites:",
    ]
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


if __name__ == "__main__":
    main()
