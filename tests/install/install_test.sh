#!/usr/bin/env bash
# The installed CMake package works for a project outside the tree: installs the build into a
# temporary prefix, checks the layout (headers under include/plansim/, libraries, the plansim
# binary, plansimConfig.cmake), configures tests/install/consumer against the prefix, builds it
# and runs it (it registers its own process and runs it). Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
# Inside the build folder, at a fixed path: ccache (base_dir) then finds the consumer's objects
# of the previous run.
work=$build/install-test
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for path in bin/plansim include/plansim/core/world.h include/plansim/core/version.h \
            include/plansim/core/process.h lib/cmake/plansim/plansimConfig.cmake \
            lib/cmake/plansim/plansimConfigVersion.cmake lib/cmake/plansim/plansimTargets.cmake \
            lib/libplansim_core.a; do
  [ -e "$prefix/$path" ] || { echo "not installed: $path"; exit 1; }
done
"$prefix/bin/plansim" --version

launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$source/tests/install/consumer" -B "$work/consumer" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" "${launcher[@]}" > "$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/consumer" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$work/consumer/consumer"
