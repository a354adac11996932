#!/usr/bin/env bash
# End-to-end benchmark: the baseline scenario (2020-2035) at a given scale, for 1..N threads.
# Reports wall time, person-years per second and peak memory per simulated person.
# Usage: bench/run_e2e.sh [scale=1.0] [max_threads=nproc]
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-1.0}
max_threads=${2:-$(nproc)}
tools/build.sh --target plansim >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf "%-8s %-8s %10s %14s %14s %12s\n" scale threads wall_s "person-yr/s" "peak_RSS_MiB" "B/person"
for threads in $(seq 1 "$max_threads"); do
  /usr/bin/time -f "%e %M" -o "$out/time" build/release/plansim run scenarios/baseline.yaml \
    --scale "$scale" --threads "$threads" -q --no-summary -o "$out/b.h5"
  read -r wall rss_kib < "$out/time"
  # Person-years: sum of the population over the simulated years, in simulated persons.
  person_years=$(/usr/bin/python3 -c "
import h5py, sys
f = h5py.File('$out/b.h5', 'r')
print(int(f['indicators/population'][0].sum() * $scale))")
  persons=$(/usr/bin/python3 -c "
import h5py
f = h5py.File('$out/b.h5', 'r')
print(int(f['indicators/population'][0].max() * $scale))")
  printf "%-8s %-8s %10.2f %14.0f %14.1f %12.0f\n" "$scale" "$threads" "$wall" \
    "$(echo "$person_years / $wall" | bc -l)" "$(echo "$rss_kib / 1024" | bc -l)" \
    "$(echo "$rss_kib * 1024 / $persons" | bc -l)"
done
