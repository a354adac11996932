#!/usr/bin/env bash
# Small runs of five scenarios and two reports from them: report-2.html (baseline and combined)
# and report-5.html (five scenarios). Usage: generate_reports.sh PLANSIM OUT_DIR
set -euo pipefail
plansim=$1 out=$2
mkdir -p "$out"
pids=()
for scenario in baseline combined tod school_places eldercare_beds; do
  replicates=2
  case $scenario in baseline | combined) replicates=3 ;; esac
  "$plansim" run "scenarios/$scenario.yaml" --scale 0.01 --replicates $replicates -q --no-summary \
    --threads 1 -o "$out/$scenario.h5" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done  # fails (set -e) if a run failed
"$plansim" report "$out/baseline.h5" "$out/combined.h5" -o "$out/report-2.html"
"$plansim" report "$out"/{baseline,tod,school_places,eldercare_beds,combined}.h5 -o "$out/report-5.html"
test -s "$out/report-2.html" && test -s "$out/report-5.html"
echo "1 passed, 0 failed"
