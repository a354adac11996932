#!/usr/bin/env bash
# Runs browser_test.mjs on the reports of generate_reports.sh. Skipped (77) without Chromium or
# the npm packages, except in CI (CI=true), where a missing piece is a failure.
# Usage: browser_test.sh OUT_DIR
set -uo pipefail
out=$1
missing=""
[ -x "${PLANSIM_CHROMIUM:-/usr/bin/chromium}" ] || missing="Chromium (Debian package chromium)"
[ -d node_modules/playwright-core ] || missing="$missing node_modules (npm ci)"
command -v node >/dev/null || missing="$missing node"
if [ -n "$missing" ]; then
  echo "browser test: missing $missing; run tools/install-deps.sh"
  [ "${CI:-}" = "true" ] && exit 1
  exit 77
fi
mkdir -p "$out/screenshots"
exec node tests/report/browser_test.mjs "$out/screenshots" "$out/report-2.html" "$out/report-5.html:5"
