#!/usr/bin/env bash
# Installs plansim's build and tool dependencies from Debian packages, if any are missing, and
# the report's browser libraries from npm (package.json / package-lock.json: Apache ECharts,
# inlined into every report, and playwright-core, which drives Chromium in the report's test).
# Idempotent and quiet when everything is already there. Needs root (or sudo) to install.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libeigen3-dev libtbb-dev libhdf5-dev libyaml-cpp-dev librandom123-dev libcli11-dev
  libspdlog-dev libfmt-dev libssl-dev libboost-dev libutf8proc-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-matplotlib python3-yaml fonts-noto-cjk time bc
  chromium
)
# Node.js and npm for the report's libraries: Debian's, unless a node with npm is already there.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
install_npm_packages() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  # Reinstall when node_modules is older than the lock file (or missing).
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
     [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci (echarts, playwright-core)" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  install_npm_packages
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install packages" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_npm_packages
