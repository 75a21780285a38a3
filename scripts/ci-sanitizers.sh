#!/usr/bin/env bash
# CI's sanitizer run: the whole test suite under the `asan-ubsan` preset
# (AddressSanitizer and UBSan; any report fails its test). The benchmarks are
# not built: they are not tests. Measured on 2 cores it fits CI's 90 minutes
# next to `make test` and the fuzz smoke run (timings: fuzz/README.md), so no
# test is left out; the slowest are the replays and what-ifs (up to 80 s each).
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
cmake --preset asan-ubsan -DOUTAGESIM_BUILD_BENCH=OFF >/dev/null
mkdir -p build/asan-ubsan
echo "ci-sanitizers: building build/asan-ubsan (log: build/asan-ubsan/build.log)"
cmake --build --preset asan-ubsan -j "$(nproc)" > build/asan-ubsan/build.log 2>&1 \
  || { cat build/asan-ubsan/build.log; exit 1; }
echo "ci-sanitizers: built in $((SECONDS - start)) s"
ctest --preset asan-ubsan -j "$(nproc)"
echo "ci-sanitizers: done in $((SECONDS - start)) s"
