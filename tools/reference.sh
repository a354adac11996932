#!/usr/bin/env bash
# Regenerates the city and scenario reference (docs/city-reference.md) and the JSON Schemas for
# editors (docs/schema/) from what the readers ask: `plansim reference` over every shipped
# scenario (engine/cli/reference.h). Run it after changing a reader or a shipped config; ctest
# Reference.UpToDate runs it with --check. PLANSIM names the binary (default build/release/plansim).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${PLANSIM:-build/release/plansim}
if [[ ! -x $bin ]]; then
  echo "reference: $bin not found: build first (tools/build.sh) or set PLANSIM" >&2
  exit 1
fi
"$bin" reference scenarios/*.yaml --markdown docs/city-reference.md --schema docs/schema "$@"
