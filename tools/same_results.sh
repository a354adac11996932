#!/usr/bin/env bash
# Runs every scenario of scenarios/ with two plansim binaries at a fixed seed and compares the
# results files object by object (tools/same_results.py). Exit status 0 when all are the same.
#
#   tools/same_results.sh OLD_PLANSIM NEW_PLANSIM [-- plansim run options]
#
# OLD_SCENARIOS=DIR runs the old binary on the scenarios of DIR (same file names), for revisions
# whose scenario syntax differs; the default is scenarios/ for both.
# Default run options: --scale 0.05 --replicates 2 --seed 7 (a 5% sample, a few seconds per
# scenario). Typical use: build a reference revision into its own directory and compare it with
# the working tree, e.g.
#   git worktree add /tmp/ref main && cmake -S /tmp/ref -B /tmp/ref/build -DPLANSIM_BUILD_TESTS=OFF \
#     -DPLANSIM_BUILD_BENCH=OFF && cmake --build /tmp/ref/build -j2 --target plansim
#   tools/same_results.sh /tmp/ref/build/plansim build/release/plansim
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,15p' "$0" >&2; exit 2; }
old=$1 new=$2
shift 2
[ "${1:-}" = "--" ] && shift
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--scale 0.05 --replicates 2 --seed 7)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for scenario in scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$old" run "${OLD_SCENARIOS:-scenarios}/$name.yaml" "${options[@]}" -q --no-summary \
    -o "$out/$name.old.h5" >/dev/null
  "$new" run "$scenario" "${options[@]}" -q --no-summary -o "$out/$name.new.h5" >/dev/null
  if /usr/bin/python3 tools/same_results.py "$out/$name.old.h5" "$out/$name.new.h5" >"$out/$name.txt"; then
    echo "same       $name"
  else
    echo "DIFFERENT  $name"
    sed 's/^/    /' "$out/$name.txt" | head -n 20
    status=1
  fi
done
exit $status
