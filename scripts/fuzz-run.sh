#!/usr/bin/env bash
# Runs the scenario fuzzer for SECONDS in total, one process at a time: when
# it stops on a crash, the input is kept under build/fuzz/artifacts/ and the
# fuzzer starts again on the grown corpus until the time is spent.
# Usage: scripts/fuzz-run.sh SECONDS [LOG]   (after `cmake --build --preset fuzz`)
# Prints one line per finding and ends with the total executions.
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:?usage: scripts/fuzz-run.sh SECONDS [LOG]}
log=${2:-build/fuzz/fuzz-run.log}
fuzzer=build/fuzz/fuzz/outagesim_scenario_fuzzer
[ -x "$fuzzer" ] || { echo "fuzz-run: build it first: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 1; }
[ -d build/fuzz/seeds ] || scripts/fuzz-corpus.sh
mkdir -p build/fuzz/corpus build/fuzz/artifacts
: > "$log"
start=$SECONDS
executions=0
round=0
while (( SECONDS - start < total )); do
  round=$((round + 1))
  left=$((total - (SECONDS - start)))
  status=0
  "$fuzzer" -dict=fuzz/yaml.dict -max_total_time="$left" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
    build/fuzz/corpus build/fuzz/seeds > build/fuzz/round.log 2>&1 || status=$?
  cat build/fuzz/round.log >> "$log"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/round.log | tail -1)
  executions=$((executions + ${runs:-0}))
  if (( status != 0 )); then
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' build/fuzz/round.log | tail -1)
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-zA-Z-]+|runtime error: .*|exception escaped the loader: .*' build/fuzz/round.log || true)
    echo "fuzz-run: round $round after $((SECONDS - start)) s: ${kind:-exit $status}: ${artifact:-no input kept}"
  fi
done
echo "fuzz-run: $executions executions in $((SECONDS - start)) s over $round round(s); log: $log"
