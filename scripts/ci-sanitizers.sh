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
  -E '^(ValidationDoc\.IsCurrent|ScaleScenarios\.(EveryOneValidates|TheSmallestRunsItsWholeDay))$'
echo "ci-sanitizers: done in $((SECONDS - start)) s"
