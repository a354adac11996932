#!/usr/bin/env bash
# One command on a fresh machine: install dependencies, build everything (Release, warnings as
# errors) and run every test. Extra arguments go to ctest (e.g. -R Demography).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "test: 1/3 dependencies (tools/install-deps.sh)" >&2
tools/install-deps.sh
echo "test: 2/3 build of the engine, tests and benchmarks (tools/build.sh)" >&2
tools/build.sh
echo "test: 3/3 every test (ctest)" >&2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir build/release --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
