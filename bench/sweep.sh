#!/bin/sh
# Runs per second of `outagesim sweep` (bench/README.md, "Sweeps"): a seed
# ensemble of the 2025-12-05 replay, and of a small example to show the
# per-run fixed cost (fork, engine start, platform, exit, journal fsync).
# Usage: bench/sweep.sh [path/to/outagesim] [runs] [jobs]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/release/sim/cli/outagesim}
runs=${2:-200}
jobs=${3:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ensemble() {  # name base metric
  cat > "$work/$1.yaml" <<SPEC
name: $1
base: $here/scenarios/$2
replications: $runs
metrics: [{name: m, summary: $3}]
SPEC
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/$1.cpu" "$bin" sweep "$work/$1.yaml" --out "$work/$1" --jobs "$jobs" >/dev/null
  end=$(date +%s.%N)
  awk -v n="$runs" -v s="$start" -v e="$end" -v name="$1" -v j="$jobs" '{
    wall = e - s; cpu = $1 + $2
    printf "%-28s %4d runs --jobs %d: %6.2f s wall, %6.1f runs/s, %5.1f ms CPU per run (%.1f user + %.1f sys)\n",
           name, n, j, wall, n / wall, 1000 * cpu / n, 1000 * $1 / n, 1000 * $2 / n
  }' "$work/$1.cpu"
  awk -F, 'NR > 1 { s += $3; n++ } END { printf "%-28s mean wall time of a run (fork to exit, timings.csv): %.1f ms\n", "", 1000 * s / n }' "$work/$1/timings.csv"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
ensemble cloudflare-2025-12-05 incidents/cloudflare-2025-12-05.yaml availability_min
ensemble fault-crash examples/fault-crash.yaml availability_min
