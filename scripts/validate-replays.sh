#!/bin/sh
# Regenerates docs/validation.md (issue #15): runs every incident replay,
# the ablations of its predicted rows and its 30-run validation ensemble
# (scenarios/sweeps/*-validation.yaml) and renders the tables. The test
# ValidationDoc.IsCurrent fails until the committed file is what this writes.
#
#   scripts/validate-replays.sh [BUILD_DIR]   (default build/ci)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/ci}
cmake --build "$build" --target outagesim outagesim_validate_replays -j2 >/dev/null
"$build/tests/outagesim_validate_replays" "$here/docs/validation.md" --jobs 2
