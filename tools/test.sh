#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build everything (Release, warnings as
# errors) and run every test. Extra arguments go to ctest (e.g. -R Demography).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir build/release --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
