#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build (Release), run the baseline
# scenario of the default city into results/baseline.h5 and print its scorecard and summary.
# Extra arguments go to `plansim run` (e.g. --scale 0.2 --replicates 200).
set -euo pipefail
cd "$(dirname "$0")/.."
# The baseline's assumptions are uncertain and one replicate is one draw of them: unless the
# arguments say otherwise, an ensemble of 100 replicates (every P(met) within ±5 points) on a 10%
# sample, about a minute and a half of CPU.
defaults=()
case " $* " in *" --replicates"* | *"run.replicates="*) ;; *) defaults+=(--replicates 100) ;; esac
case " $* " in *" --scale"* | *"run.scale="*) ;; *) defaults+=(--scale 0.1) ;; esac
echo "run: 1/3 dependencies (tools/install-deps.sh)" >&2
tools/install-deps.sh
echo "run: 2/3 build of plansim (tools/build.sh --target plansim)" >&2
tools/build.sh --target plansim
echo "run: 3/3 plansim run scenarios/baseline.yaml -o results/baseline.h5 ${defaults[*]} $*" >&2
mkdir -p results
build/release/plansim run scenarios/baseline.yaml -o results/baseline.h5 "${defaults[@]}" "$@"
