#!/usr/bin/env bash
# The SLURM example (scenarios/sweeps/slurm/) without SLURM: each array task
# is run as SLURM would, with its environment variables, then the merge job;
# the merged results must equal the local `--jobs 1` run's. submit.sh is run
# against a stand-in `sbatch` that records what it was asked.
# usage: slurm_example_test.sh OUTAGESIM SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
slurm=$src/scenarios/sweeps/slurm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > spec.yaml <<YAML
name: tiny
base: $src/scenarios/examples/cdn-bad-push.yaml
seed: 3
replications: 2
parameters:
  - path: faults[0].at
    values: [+20m, +30m, +40m]
metrics:
  - {name: availability_min, summary: availability_min}
  - {name: failed_requests, summary: failed_requests}
YAML
"$bin" sweep spec.yaml --out local --jobs 1 > /dev/null

for task in 2 0 1; do
  SLURM_ARRAY_TASK_ID=$task SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 OUTAGESIM=$bin \
    bash "$slurm/sweep.sbatch" spec.yaml out > /dev/null
done
OUTAGESIM=$bin bash "$slurm/merge.sbatch" out > /dev/null
for f in results.csv summary.csv sensitivity.csv; do
  cmp local/$f out/merged/$f || { echo "FAIL: out/merged/$f differs from the local run's"; exit 1; }
done

# The merge job refuses a missing shard with exit code 2.
rm -rf out/merged out/shard-1
if OUTAGESIM=$bin bash "$slurm/merge.sbatch" out 2> merge.err; then
  echo "FAIL: merge.sbatch succeeded without shard 1"; exit 1
fi
grep -q "shard 1/3 is missing" merge.err || { echo "FAIL: unexpected message:"; cat merge.err; exit 1; }

# submit.sh: an array of N tasks 0..N-1, then the merge after any end of it.
mkdir fakebin
cat > fakebin/sbatch <<'SH'
#!/bin/bash
echo "$*" >> "$SBATCH_LOG"
case "$*" in *--array*) echo "4242";; *) echo "4243";; esac
SH
chmod +x fakebin/sbatch
PATH=$work/fakebin:$PATH SBATCH_LOG=$work/sbatch.log bash "$slurm/submit.sh" spec.yaml out 3 > /dev/null
grep -q -- "--parsable --array=0-2 $slurm/sweep.sbatch spec.yaml out" sbatch.log \
  || { echo "FAIL: array submission:"; cat sbatch.log; exit 1; }
grep -q -- "--parsable --dependency=afterany:4242 $slurm/merge.sbatch out" sbatch.log \
  || { echo "FAIL: merge submission:"; cat sbatch.log; exit 1; }
echo "slurm example: 3 shards merged equal the local run"
