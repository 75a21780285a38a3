#!/usr/bin/env bash
# Macro benchmarks: whole `outagesim run` invocations at growing scale.
# Prints one Markdown table row per case: wall time and peak memory, as
# measured by GNU time's %e and %M (or bash's time when GNU time is absent).
# The internet-scale scenarios (scenarios/scale/) come first, with CPU time
# (user + sys), peak memory and simulated seconds per wall second from GNU
# time's verbose output: on a shared machine CPU time is the figure that
# carries over. Pass scale sizes in SCALE (default "10k 100k 1m 10m").
# usage: bench/macro.sh [path/to/outagesim]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/outagesim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timed_run() {  # label file [run options...]
  local label=$1 file=$2
  shift 2
  local start end
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/mem" "$bin" run "$file" --out "$work/out" "$@" > /dev/null
    mem="$(( $(cat "$work/mem") / 1024 )) MiB"
  else
    "$bin" run "$file" --out "$work/out" "$@" > /dev/null
    mem="n/a"
  fi
  end=$(date +%s.%N)
  printf '| %s | %.2f s | %s | %s |\n' "$label" "$(echo "$end - $start" | bc)" "$mem" "$(du -sh "$work/out" | cut -f1)"
  rm -rf "$work/out"
}

run_case() {  # pops sites duration resolution [population]
  local file="$work/s-$1-$2.yaml"
  bench/generate_scenario.py "$@" > "$file"
  local start end
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o "$work/mem" "$bin" run "$file" --out "$work/out" > /dev/null
    mem="$(( $(cat "$work/mem") / 1024 )) MiB"
  else
    "$bin" run "$file" --out "$work/out" > /dev/null
    mem="n/a"
  fi
  end=$(date +%s.%N)
  local what="sites"
  [ "${5:-}" = population ] && what="generated sites (32 classes)"
  printf '| %s PoPs, %s %s, %s at %s | %.2f s | %s | %s |\n' "$1" "$2" "$what" "$3" "$4" \
    "$(echo "$end - $start" | bc)" "$mem" "$(du -sh "$work/out" | cut -f1)"
}

scale_case() {  # size
  local file=scenarios/scale/internet-$1.yaml
  /usr/bin/time -v -o "$work/time" "$bin" run "$file" --out "$work/out" > /dev/null
  local wall user sys rss simulated
  wall=$(awk -F': ' '/Elapsed/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time")
  user=$(awk -F': ' '/User time/ {print $2}' "$work/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time")
  simulated=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reached_s"])' "$work/out/summary.json")
  printf '| internet-%s | %.1f s | %.1f s (%.1f + %.1f) | %d MiB | %.0f | %s |\n' "$1" "$wall" \
    "$(echo "$user + $sys" | bc)" "$user" "$sys" $((rss / 1024)) "$(echo "$simulated / $wall" | bc -l)" \
    "$(du -sh "$work/out" | cut -f1)"
  rm -rf "$work/out"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| scenario | wall | CPU (user + sys) | peak memory | simulated s per wall s | run directory |"
echo "| --- | --- | --- | --- | --- | --- |"
for size in ${SCALE:-10k 100k 1m 10m}; do scale_case "$size"; done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${SCALE_ONLY:-}" ] && exit 0

echo
echo "| case | wall time | peak memory | run directory |"
echo "| --- | --- | --- | --- |"
run_case 30 7 6h 10s
run_case 330 100 24h 1m
run_case 330 1000 24h 1m
run_case 3300 10000 24h 5m
run_case 330 100000 24h 1m population

# The traffic model steps every service with memory once per traffic.step
# (1 s): a day of it is 86,400 steps.
echo
echo "| traffic case | wall time | peak memory | run directory |"
echo "| --- | --- | --- | --- |"
timed_run "metastable-retry-storm, 1h, 1 s steps" scenarios/examples/metastable-retry-storm.yaml
timed_run "metastable-retry-storm, 24h, 1 s steps" scenarios/examples/metastable-retry-storm.yaml --set scenario.duration=24h --set output.resolution=1m
timed_run "herd-shared-backend, 1h, 1 s steps" scenarios/examples/herd-shared-backend.yaml
timed_run "cloudflare-2025-11-18 replay, 6h30m" scenarios/incidents/cloudflare-2025-11-18.yaml
