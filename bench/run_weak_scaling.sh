#!/usr/bin/env bash
# Weak scaling of MPI ensembles: R replicates per computing rank, K = 1..max ranks (rank 0 only
# distributes and writes, so K ranks have max(K-1, 1) computing ranks). Reports replicates/s.
# Usage: bench/run_weak_scaling.sh [replicates_per_rank=2] [max_ranks=3] [scale=0.1]
set -euo pipefail
cd "$(dirname "$0")/.."
per_rank=${1:-2}
max_ranks=${2:-3}
scale=${3:-0.1}
tools/build.sh --target plansim >/dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%-6s %-16s %-11s %10s %14s\n" ranks computing_ranks replicates wall_s replicates/s
for ranks in $(seq 1 "$max_ranks"); do
  workers=$(( ranks > 1 ? ranks - 1 : 1 ))
  reps=$(( per_rank * workers ))
  start=$(date +%s.%N)
  mpirun --oversubscribe -n "$ranks" build/release/plansim run scenarios/baseline.yaml \
    --scale "$scale" --replicates "$reps" --threads 1 -q --no-summary -o "$out/w.h5"
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc -l)
  printf "%-6s %-16s %-11s %10.2f %14.3f\n" "$ranks" "$workers" "$reps" "$wall" "$(echo "$reps / $wall" | bc -l)"
done
