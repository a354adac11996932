#!/usr/bin/env bash
# Installs plansim's build, test and tool dependencies from Debian packages, if any are missing,
# and the report's browser libraries from npm (package.json / package-lock.json: Apache ECharts,
# inlined into every report, and playwright-core, which drives Chromium in the report's test).
# Idempotent: one line when everything is already there. Needs root (or sudo) to install.
# Says what it installs and why; on failure names the step and the log to read
# (build/logs/install-deps.log).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each group: what it is for, then its Debian packages.
groups=(
  "compiler and build tools|build-essential cmake pkg-config git"
  "libraries of the engine|libeigen3-dev libtbb-dev libhdf5-dev libyaml-cpp-dev librandom123-dev libcli11-dev libspdlog-dev libfmt-dev libssl-dev libboost-dev libutf8proc-dev nlohmann-json3-dev"
  "tests and benchmarks|libgtest-dev libgmock-dev libbenchmark-dev time bc"
  "format and static checks of the C++ sources (tools/check_format.sh, tools/check_tidy.sh)|clang-format clang-tidy"
  "fuzz targets (clang's libFuzzer, tools/fuzz.sh)|clang libclang-rt-dev"
  "MPI (cluster runs)|libopenmpi-dev openmpi-bin"
  "Slurm on localhost for the cluster recipe test|slurm-wlm"
  "Python module and result readers|python3 python3-dev pybind11-dev python3-pytest python3-h5py python3-numpy python3-pandas python3-xarray python3-h5netcdf python3-netcdf4 python3-yaml python3-jsonschema"
  "plots and the HTML report|python3-matplotlib fonts-noto-cjk chromium"
)
# Node.js and npm for the report's libraries: Debian's, unless a node with npm is already there.
command -v npm >/dev/null 2>&1 || groups+=("npm for the report's browser libraries|nodejs npm")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

log=build/logs/install-deps.log
# step NAME COMMAND...: runs a step with its output in the log; on failure names it and the log.
step() {
  local name=$1
  shift
  mkdir -p "$(dirname "$log")"
  echo "install-deps: ${name}…" >&2
  if ! "$@" >>"$log" 2>&1; then
    echo "install-deps: step '${name}' failed; the end of ${log}:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
    echo "install-deps: full log: ${log}" >&2
    exit 1
  fi
}

install_npm_packages() {
  # Reinstall when node_modules is older than the lock file (or missing).
  if [ ! -f node_modules/.package-lock.json ] ||
     [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci (echarts, playwright-core)" npm ci --no-audit --no-fund --loglevel=error
  fi
}

missing=()
total=0
report=()
for group in "${groups[@]}"; do
  why=${group%%|*}
  group_missing=()
  for p in ${group#*|}; do
    total=$((total + 1))
    installed "$p" || group_missing+=("$p")
  done
  if [ ${#group_missing[@]} -gt 0 ]; then
    missing+=("${group_missing[@]}")
    report+=("  ${why}: ${group_missing[*]}")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${total} Debian packages are installed" >&2
  install_npm_packages
  exit 0
fi

echo "install-deps: installing ${#missing[@]} of ${total} Debian packages (a few minutes on a fresh machine):" >&2
printf '%s\n' "${report[@]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "install-deps: need root or sudo to install packages; as root run: apt-get install ${missing[*]}" >&2
    exit 1
  }
  sudo="sudo"
fi
mkdir -p build/logs
: >"$log"
export DEBIAN_FRONTEND=noninteractive
step "apt-get update" $sudo apt-get update
step "apt-get install" $sudo apt-get install -y --no-install-recommends "${missing[@]}"
install_npm_packages
echo "install-deps: done (log: ${log})" >&2
