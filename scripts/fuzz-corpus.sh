#!/usr/bin/env bash
# Builds the fuzzer's seed corpus: every scenario under scenarios/ and every
# deliberately bad scenario under tests/scenario/bad/, and the hand-written
# seeds of fuzz/seeds/ (YAML features the examples do not use: anchors,
# aliases, merge keys), one file each, named after its path.
# Usage: scripts/fuzz-corpus.sh [DIR] (default build/fuzz/seeds).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/fuzz/seeds}
rm -rf "$dir"
mkdir -p "$dir"
count=0
while IFS= read -r -d '' file; do
  cp "$file" "$dir/${file//\//_}"
  count=$((count + 1))
done < <(find scenarios tests/scenario/bad fuzz/seeds -name '*.yaml' -type f -print0 | sort -z)
echo "fuzz-corpus: $count seeds in $dir"
