#!/usr/bin/env bash
# Submits the pack array (N tasks) and the import that waits for it.
#   deploy/slurm/submit.sh 8 /shared/scans /shared/bags /shared/archive
set -euo pipefail
n=${1:?usage: submit.sh N SCANS BAGS ARCHIVE}
here=$(dirname "$0")
pack=$(sbatch --parsable --array="1-$n" "$here/pack.sbatch" "$2" "$3")
sbatch --dependency="afterok:$pack" "$here/import.sbatch" "$3" "$4"
