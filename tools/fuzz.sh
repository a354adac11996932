#!/usr/bin/env bash
# Builds the libFuzzer targets (cmake --preset fuzz: clang, address + undefined sanitizers) and
# runs each for FUZZ_SECONDS (default 45) from a seed corpus made of the shipped configs. An input
# that crashes, hangs (> 10 s) or takes more than 2 GB is saved to build/fuzz/crashes/<target>/ and
# copied into tests/fuzz/regressions/<target>/ at once, so that every build replays it; commit it
# with the fix. A CI job (.ci/run, 60 s per target, after tools/test.sh): the results reader's seed
# is a small results file made here by build/release/plansim, remade whenever plansim is newer.
# Usage: tools/fuzz.sh [target ...]   (targets: yaml csv set results; default all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-45}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml csv set results)
mkdir -p build/logs
log=build/logs/fuzz-build.log
if [ ! -f build/fuzz/CMakeCache.txt ]; then
  echo "fuzz: configuring (cmake --preset fuzz) …" >&2
  cmake --preset fuzz >"$log" 2>&1 || { tail -n 30 "$log" >&2; exit 1; }
fi
echo "fuzz: building ${targets[*]/#/fuzz_} …" >&2
cmake --build build/fuzz -j "${JOBS:-2}" --target "${targets[@]/#/fuzz_}" >>"$log" 2>&1 ||
  { grep -E -A3 'error' "$log" | head -n 40 >&2; echo "fuzz: build failed (log $log)" >&2; exit 1; }

# Seed corpora: the shipped scenarios, sweeps and city config; the --set examples; for the
# results reader, a small results file when a release build is there to make one.
corpus=build/fuzz/corpus
mkdir -p "$corpus"/{yaml,csv,set,results}
cp scenarios/*.yaml sweeps/*.yaml configs/*/*.yaml "$corpus/yaml/"
cp configs/*/*.csv "$corpus/csv/"
cp tests/fuzz/seeds/set/* "$corpus/set/"
if [ -x build/release/plansim ] &&
  { [ ! -f "$corpus/results/seed.h5" ] || [ build/release/plansim -nt "$corpus/results/seed.h5" ]; }; then
  build/release/plansim run scenarios/baseline.yaml --scale 0.01 --set run.end=2021 -q \
    --no-summary --fresh -o build/fuzz/seed.h5 >/dev/null 2>&1 && mv build/fuzz/seed.h5 "$corpus/results/seed.h5" || true
fi

status=0
for target in "${targets[@]}"; do
  crashes=build/fuzz/crashes/$target
  mkdir -p "$crashes"
  echo "fuzz: fuzz_$target for ${seconds} s …" >&2
  # HDF5 itself (libhdf5 1.10, not plansim's reader) may allocate what a damaged superblock
  # claims, a few GB, before it refuses the file: the results target allows that much
  # (tests/fuzz/README.md).
  malloc_limit=2048 rss_limit=2048 max_len=65536
  [ "$target" = results ] && malloc_limit=5120 rss_limit=6144 max_len=1048576
  # One job, bounded time, memory and per-input time; new inputs go to the corpus folder.
  if ! ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    build/fuzz/tests/fuzz_"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb="$rss_limit" -malloc_limit_mb="$malloc_limit" \
      -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus/$target" \
      tests/fuzz/regressions/"$target" >build/logs/fuzz-"$target".log 2>&1; then
    echo "fuzz: fuzz_$target FAILED; the input is in $crashes/, the report in build/logs/fuzz-$target.log:" >&2
    grep -E "ERROR|SUMMARY|Test unit written" build/logs/fuzz-"$target".log | head -n 10 | sed 's/^/    /' >&2
    # Kept as a regression at once: every build replays tests/fuzz/regressions/ (ctest -L fuzz),
    # so the input fails the suite until the cause is fixed; commit it with the fix.
    for input in "$crashes"/crash-* "$crashes"/timeout-* "$crashes"/oom-* "$crashes"/leak-*; do
      [ -f "$input" ] || continue
      cp "$input" tests/fuzz/regressions/"$target"/
      echo "fuzz: kept as tests/fuzz/regressions/$target/$(basename "$input")" >&2
    done
    status=1
  else
    echo "fuzz: fuzz_$target ok ($(grep -Eo 'stat::number_of_executed_units: *[0-9]+' build/logs/fuzz-"$target".log | grep -Eo '[0-9]+$') inputs)" >&2
  fi
done
exit $status
