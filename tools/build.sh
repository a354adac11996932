#!/usr/bin/env bash
# Configures and builds the Release preset into build/release (incremental).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -f build/release/CMakeCache.txt ]; then
  cmake --preset release >/dev/null
fi
cmake --build build/release -j "$jobs" "$@"
