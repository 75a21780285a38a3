#!/usr/bin/env bash
# Macro benchmarks: whole `outagesim run` invocations at growing scale.
# Prints one Markdown table row per case: wall time and peak memory, as
# measured by GNU time's %e and %M (or bash's time when GNU time is absent).
# usage: bench/macro.sh [path/to/outagesim]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/sim/cli/outagesim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_case() {  # pops sites duration resolution
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
  printf '| %s PoPs, %s sites, %s at %s | %.2f s | %s | %s |\n' "$1" "$2" "$3" "$4" \
    "$(echo "$end - $start" | bc)" "$mem" "$(du -sh "$work/out" | cut -f1)"
}

echo "| case | wall time | peak memory | run directory |"
echo "| --- | --- | --- | --- |"
run_case 30 7 6h 10s
run_case 330 100 24h 1m
run_case 330 1000 24h 1m
run_case 3300 10000 24h 5m
