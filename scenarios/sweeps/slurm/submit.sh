#!/bin/bash
# Submits a sweep as a SLURM job array of N shards and the merge after it.
#   usage: scenarios/sweeps/slurm/submit.sh SPEC OUT N
# OUT must be on a file system every node sees. docs/clusters.md.
set -euo pipefail
spec=${1:?usage: submit.sh SPEC OUT N}
out=${2:?usage: submit.sh SPEC OUT N}
n=${3:?usage: submit.sh SPEC OUT N}
here=$(cd "$(dirname "$0")" && pwd)

array=$(sbatch --parsable --array="0-$((n - 1))" "$here/sweep.sbatch" "$spec" "$out")
# afterany: the merge runs even if a task failed, and then says which shard is missing.
merge=$(sbatch --parsable --dependency="afterany:${array%%;*}" "$here/merge.sbatch" "$out")
echo "submitted array job $array ($n shards) and merge job $merge; results in $out/merged"
