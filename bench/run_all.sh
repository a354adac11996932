#!/usr/bin/env bash
# Every benchmark, with repetitions: the Google Benchmark programs and the end-to-end runs
# (demography-only and full baseline at scale 1.0 on 1 and 2 threads, demography-only at ≈ 10 M
# and ≈ 100 M simulated persons). Records medians with the machine's load in bench/results.json
# and bench/results.md; compare two records with bench/compare.py OLD.json NEW.json.
#
#   bench/run_all.sh                 # 5 repetitions, everything (≈ 15 min on 2 cores)
#   bench/run_all.sh --reps 3 --no-large
#   bench/run_all.sh --help          # every option
#
# Run it on a quiet machine: `uptime` below ≈ 0.5. Every figure records the load it was taken
# under, so figures from a busy machine are visible as such.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) exec /usr/bin/python3 bench/run_all.py --help ;; esac
nice cmake --build build/release -j2 --target plansim demography_bench synthesis_bench \
  services_bench space_bench economy_bench >/dev/null
exec /usr/bin/python3 bench/run_all.py "$@"
