#!/usr/bin/env python3
"""How a replay's generator-driven outputs vary with the seed.

Runs the 2025-11-18 replay for seeds 1..N and prints, per seed, when the
impact starts (summary.json impact_start) and how often the core proxy
recovered before settling in the failed state (the same measure as
tests/validation/replay_validation_test.cpp: cloudflare.proxy availability
below 99% counts as failed). docs/validation.md quotes its output.

usage: scripts/replay-seed-spread.py OUTAGESIM [N=20]
"""
import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FAILED_BELOW = 0.99
REPLAY = Path(__file__).resolve().parent.parent / "scenarios/incidents/cloudflare-2025-11-18.yaml"


def recoveries_before_settling(series):
    onsets, recoveries = [], []
    for (_, was), (t, now) in zip(series, series[1:]):
        if was >= FAILED_BELOW > now:
            onsets.append(t)
        if was < FAILED_BELOW <= now:
            recoveries.append(t)
    return sum(1 for t in recoveries if onsets and t < onsets[-1])


def main():
    binary, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
    starts, counts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, n + 1):
            out = Path(tmp) / str(seed)
            subprocess.run([binary, "run", str(REPLAY), "--seed", str(seed), "--out", str(out)],
                           check=True, stdout=subprocess.DEVNULL)
            start = json.loads((out / "summary.json").read_text())["metrics"]["impact_start"]
            with open(out / "timeseries.csv") as f:
                series = [(float(r["t"]), float(r["value"])) for r in csv.DictReader(f)
                          if r["scope"] == "service" and r["entity"] == "cloudflare.proxy"
                          and r["metric"] == "availability"]
            count = recoveries_before_settling(series)
            starts.append(start / 60)
            counts.append(count)
            print(f"seed {seed:3d}: impact starts +{start / 60:5.1f} min, {count} recoveries before settling")
    print(f"impact start: median +{statistics.median(starts):.1f} min, range +{min(starts):.1f}..+{max(starts):.1f}")
    print(f"recoveries: median {statistics.median(counts)}, range {min(counts)}..{max(counts)}, "
          f">= 3 in {sum(c >= 3 for c in counts)} of {n} seeds")


if __name__ == "__main__":
    main()
