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
# The `asan-ubsan` test preset sets ASAN_OPTIONS=intercept_tls_get_addr=0:
# with the engine a dlopened module, LeakSanitizer's tracer read a bogus
# dynamic-TLS block ("DTLS 5 at 0x7aef-0x2000008bf1") at the exit of some
# runs and crashed ("Tracer caught signal 11", a fatal error of LeakSanitizer
# itself, not a leak report), in Replays.EveryPredictedRowHasAnAblationThatMovesIt.
# Not intercepting __tls_get_addr stops it reading dynamic TLS as roots;
# leaks are still checked in every test.
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
