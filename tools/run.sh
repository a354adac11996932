#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build (Release), run the baseline
# scenario of the default city into results/baseline.h5 and print its summary.
# Extra arguments go to `plansim run` (e.g. --scale 0.1 --replicates 5).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "run: 1/3 dependencies (tools/install-deps.sh)" >&2
tools/install-deps.sh
echo "run: 2/3 build of plansim (tools/build.sh --target plansim)" >&2
tools/build.sh --target plansim
echo "run: 3/3 plansim run scenarios/baseline.yaml -o results/baseline.h5 $*" >&2
mkdir -p results
build/release/plansim run scenarios/baseline.yaml -o results/baseline.h5 "$@"
