#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build (Release), run the baseline
# scenario of the default city into results/baseline.h5 and print its summary.
# Extra arguments go to `plansim run` (e.g. --scale 0.1 --replicates 5).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh --target plansim >/dev/null
mkdir -p results
build/release/plansim run scenarios/baseline.yaml -o results/baseline.h5 "$@"
