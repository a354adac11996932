#!/usr/bin/env bash
# clang-tidy (the checks of the repository's .clang-tidy, warnings as errors) over every source of
# engine/, with the compile commands of a clang build (default build/asan, which
# tools/sanitizers.sh asan builds first; gcc's flags confuse clang-tidy). Exit status 1 and each
# finding as file:line:col: error: … when any check fires; 2 when clang-tidy or the compile
# commands are missing. CI runs it in the ASan job (about 90 sources, ~4 s of CPU each).
#
#   tools/check_tidy.sh [BUILD_DIR]      JOBS=N sets the parallelism (default: every core)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
[ -n "$tidy" ] && [ -n "$runner" ] ||
  { echo "check_tidy: clang-tidy not found (tools/install-deps.sh installs it)" >&2; exit 2; }
[ -f "$build/compile_commands.json" ] ||
  { echo "check_tidy: $build/compile_commands.json not found (configure a clang build first, e.g. cmake --preset asan)" >&2; exit 2; }

mkdir -p build/logs
log=build/logs/check-tidy.log
start=$SECONDS
# Only engine/'s sources: the generated ones (git_sha.cpp, embedded files) live in the build tree.
status=0
"$runner" -clang-tidy-binary "$tidy" -p "$build" -j "$jobs" -quiet "^$PWD/engine/.*\.cpp$" 2>&1 |
  sed 's/\x1b\[[0-9;]*m//g' >"$log" || status=$?
findings=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning):' "$log" | sort -u || true)
if [ -n "$findings" ] || [ "$status" -ne 0 ]; then
  if [ -n "$findings" ]; then echo "$findings" >&2; else tail -n 30 "$log" >&2; fi
  echo "check_tidy: clang-tidy found problems ($(echo "$findings" | grep -c . || true) findings; full log: $log)" >&2
  exit 1
fi
files=$(grep -c "^.*clang-tidy.* -p=" "$log" || true)
echo "check_tidy: ${files} sources of engine/ pass .clang-tidy in $((SECONDS - start)) s"
