#!/usr/bin/env bash
# Configures (once) and builds the Release preset into build/release, incrementally.
# Shows the build's progress; the full output goes to build/logs/configure.log and
# build/logs/build.log, and a failure names the step, shows its errors and the log to read.
# Extra arguments go to `cmake --build` (e.g. --target plansim). JOBS=N sets the parallelism
# (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p build/logs

fail() {  # fail STEP LOG
  echo "build: step '$1' failed; its errors:" >&2
  { grep -E -A3 'error:|Error [0-9]|CMake Error|undefined reference|fatal' "$2" || tail -n 30 "$2"; } |
    head -n 40 | sed 's/^/    /' >&2
  echo "build: full log: $2" >&2
  exit 1
}

if [ ! -f build/release/CMakeCache.txt ]; then
  echo "build: configuring (cmake --preset release) …" >&2
  cmake --preset release >build/logs/configure.log 2>&1 || fail configure build/logs/configure.log
fi

log=build/logs/build.log
echo "build: compiling with ${jobs} job(s) (a first build takes several minutes) …" >&2
# Progress lines ("[ 42%] Building CXX object …") as they come: on a terminal one line
# overwritten in place, otherwise one line per target so that a CI log shows the build moving.
set +e
cmake --build build/release -j "$jobs" "$@" 2>&1 | tee "$log" | {
  last=""
  while IFS= read -r line; do
    case "$line" in
      \[*%\]\ Built\ target*)
        if [ -t 2 ]; then printf '\r\033[K  %s' "${line:0:100}" >&2; else echo "  $line" >&2; fi ;;
      \[*%\]*)
        if [ -t 2 ]; then printf '\r\033[K  %s' "${line:0:100}" >&2; fi
        last=$line ;;
    esac
  done
  [ -t 2 ] && [ -n "$last" ] && printf '\r\033[K' >&2
  true
}
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail build "$log"
echo "build: done (log: ${log})" >&2
