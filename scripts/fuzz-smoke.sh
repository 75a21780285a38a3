#!/usr/bin/env bash
# CI's short fuzz run: builds the `fuzz` preset (clang, libFuzzer, ASan and
# UBSan; only the scenario library and the fuzzer) and fuzzes the loader and
# validator for FUZZ_SECONDS (default 60) from the seed corpus. Fails on the
# first crash, hang (10 s) or sanitizer report, naming the input it kept.
# See fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}

# Debian's clang and its libFuzzer runtime, installed as scripts/install-deps.sh
# installs the rest.
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fuzz-smoke: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

start=$SECONDS
cmake --preset fuzz >/dev/null
mkdir -p build/fuzz
echo "fuzz-smoke: building build/fuzz (log: build/fuzz/build.log)"
cmake --build --preset fuzz -j "$(nproc)" > build/fuzz/build.log 2>&1 || { cat build/fuzz/build.log; exit 1; }
echo "fuzz-smoke: built in $((SECONDS - start)) s; fuzzing for $seconds s"
scripts/fuzz-corpus.sh
mkdir -p build/fuzz/corpus build/fuzz/artifacts
if ! build/fuzz/fuzz/outagesim_scenario_fuzzer -dict=fuzz/yaml.dict -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
    build/fuzz/corpus build/fuzz/seeds > build/fuzz/smoke.log 2>&1; then
  grep -v -E '^#[0-9]+' build/fuzz/smoke.log | tail -60
  echo "fuzz-smoke: the loader crashed; keep the input above under tests/fuzz/crashes/ (fuzz/README.md)" >&2
  exit 1
fi
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' build/fuzz/smoke.log || true
echo "fuzz-smoke: no crash in $seconds s"
