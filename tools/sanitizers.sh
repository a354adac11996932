#!/usr/bin/env bash
# The sanitizer jobs of CI (.ci/run); also by hand. Each job builds its own tree under build/.
#
#   tools/sanitizers.sh asan   AddressSanitizer + UndefinedBehaviorSanitizer (cmake --preset asan:
#                              clang at -O1 with line tables only, warnings as errors, the build
#                              that fits CI; gcc at -O2 -g took 4x its CPU time) with
#                              PLANSIM_DEBUG_CHECKS (the World's and every process's invariants
#                              checked after each process step); clang-tidy over engine/ with its
#                              compile commands (tools/check_tidy.sh); then the whole ctest
#                              suite, but the labels in ASAN_SKIP_LABELS (default: none); any
#                              report or broken invariant stops the test with a failure.
#   tools/sanitizers.sh tsan   ThreadSanitizer: oneTBB built with -fsanitize=thread from Debian's
#                              source package (the same 2021.8.0 as libtbb-dev), so that its
#                              scheduler's synchronisation is seen and reports are meaningful;
#                              plansim built against it (cmake --preset tsan), a small threaded
#                              scenario run at 2 and 4 threads and compared with a 1-thread run.
#   tools/sanitizers.sh        both.
#
# JOBS=N sets the build parallelism (default: every core). Logs: build/logs/sanitizers-*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p build/logs
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# step NAME LOG COMMAND...: runs a step with its output in LOG; on failure names it and shows the
# end of the log.
step() {
  local name=$1 log=$2
  shift 2
  local start=$SECONDS
  echo "sanitizers: ${name} …" >&2
  if ! "$@" >"$log" 2>&1; then
    echo "sanitizers: step '${name}' failed; the end of ${log}:" >&2
    tail -n 40 "$log" | sed 's/^/    /' >&2
    exit 1
  fi
  echo "sanitizers: ${name}: done in $((SECONDS - start)) s" >&2
}

asan() {
  [ -f build/asan/CMakeCache.txt ] ||
    step "configure (cmake --preset asan)" build/logs/sanitizers-asan-configure.log cmake --preset asan
  step "build (ASan + UBSan, invariant checks)" build/logs/sanitizers-asan-build.log \
    cmake --build build/asan -j "$jobs"
  # The same clang compile commands serve clang-tidy (.clang-tidy).
  step "clang-tidy (tools/check_tidy.sh)" build/logs/sanitizers-asan-tidy.log \
    env JOBS="$jobs" tools/check_tidy.sh build/asan
  # Any report fails its test: UBSan stops at the first finding; leaks of Open MPI and HDF5's
  # global state at exit are not plansim's, and LeakSanitizer cannot run under ptrace.
  local skip=()
  [ -z "${ASAN_SKIP_LABELS:-}" ] || skip=(-LE "${ASAN_SKIP_LABELS}")
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    step "ctest (ASan + UBSan)" build/logs/sanitizers-asan-test.log \
    ctest --test-dir build/asan --output-on-failure -j "$jobs" --timeout 900 "${skip[@]}"
  tail -n 3 build/logs/sanitizers-asan-test.log >&2
}

# oneTBB from Debian's source package: the orig tarball named and checksummed by
# onetbb_2021.8.0-2+deb12u1.dsc (bookworm's libtbb-dev).
tbb_version=2021.8.0
tbb_tarball=onetbb_${tbb_version}.orig.tar.xz
tbb_sha256=7e9111b8bb59c8800bf6d0b06afe7b0891937443d2dae1ee1101c8e2ede6a7ef
tbb_url=http://deb.debian.org/debian/pool/main/o/onetbb/${tbb_tarball}

tsan_tbb() {
  local dir=build/tsan-tbb
  [ -f "$dir/prefix/lib/cmake/TBB/TBBConfig.cmake" ] && return 0
  mkdir -p "$dir"
  if [ ! -f "$dir/$tbb_tarball" ]; then
    step "download oneTBB ${tbb_version} source (deb.debian.org)" build/logs/sanitizers-tbb-download.log \
      curl -fsSL -o "$dir/$tbb_tarball.part" "$tbb_url"
    mv "$dir/$tbb_tarball.part" "$dir/$tbb_tarball"
  fi
  echo "$tbb_sha256  $dir/$tbb_tarball" | sha256sum -c --quiet - ||
    { echo "sanitizers: $dir/$tbb_tarball: checksum mismatch" >&2; rm -f "$dir/$tbb_tarball"; exit 1; }
  rm -rf "$dir/src" && mkdir -p "$dir/src"
  tar -xJf "$dir/$tbb_tarball" -C "$dir/src" --strip-components=1
  step "configure oneTBB with -fsanitize=thread" build/logs/sanitizers-tbb-configure.log \
    cmake -S "$dir/src" -B "$dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTBB_SANITIZE=thread \
    -DTBB_TEST=OFF -DTBB_EXAMPLES=OFF -DTBBMALLOC_BUILD=OFF -DTBB_STRICT=OFF \
    -DCMAKE_INSTALL_PREFIX="$PWD/$dir/prefix"
  step "build oneTBB (TSan)" build/logs/sanitizers-tbb-build.log cmake --build "$dir/build" -j "$jobs"
  step "install oneTBB (TSan) into $dir/prefix" build/logs/sanitizers-tbb-install.log \
    cmake --install "$dir/build"
}

tsan() {
  tsan_tbb
  [ -f build/tsan/CMakeCache.txt ] ||
    step "configure (cmake --preset tsan, oneTBB of build/tsan-tbb)" build/logs/sanitizers-tsan-configure.log \
      cmake --preset tsan -DTBB_DIR="$PWD/build/tsan-tbb/prefix/lib/cmake/TBB" \
      -DPLANSIM_WITH_MPI=OFF -DPLANSIM_BUILD_PYTHON=OFF
  step "build plansim (TSan)" build/logs/sanitizers-tsan-build.log \
    cmake --build build/tsan -j "$jobs" --target plansim
  # A small threaded scenario: every process of the baseline, a 1% sample, three years, two
  # replicates (run in parallel with the threads inside each). Any report fails the job;
  # tests/tsan/suppressions.txt names each report that is not plansim's, with its reason.
  local out=build/tsan/out
  rm -rf "$out" && mkdir -p "$out"
  local run=(build/tsan/plansim run scenarios/baseline.yaml --scale 0.01 --set run.end=2023
    --replicates 2 -q --no-summary --fresh)
  for threads in 1 2 4; do
    TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$PWD/tests/tsan/suppressions.txt" \
      step "threaded scenario under TSan, ${threads} thread(s)" build/logs/sanitizers-tsan-run-$threads.log \
      "${run[@]}" --threads "$threads" -o "$out/threads-$threads.h5"
  done
  # Same results at any thread count, under TSan too (Debian's python3 with h5py).
  local python=python3
  [ -x /usr/bin/python3 ] && python=/usr/bin/python3
  step "same results at 1, 2 and 4 threads" build/logs/sanitizers-tsan-compare.log \
    bash -c "$python tools/same_results.py $out/threads-1.h5 $out/threads-2.h5 &&
             $python tools/same_results.py $out/threads-1.h5 $out/threads-4.h5"
}

case "${1:-all}" in
  asan) asan ;;
  tsan) tsan ;;
  all) asan; tsan ;;
  *) echo "usage: tools/sanitizers.sh [asan|tsan]" >&2; exit 2 ;;
esac
