#!/usr/bin/env bash
# clang-format check (the repository's .clang-format) of every C++ file of engine/, tests/ and
# bench/, except those still listed in tools/format-pending.txt (files formatted before the check
# existed are held to it; the list only shrinks: format a file and remove its line).
#   tools/check_format.sh          check (exit status 1 and the files to format)
#   tools/check_format.sh --fix    format every file that is not pending
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check_format: clang-format not found (tools/install-deps.sh)" >&2; exit 2; }
pending=tools/format-pending.txt
mapfile -t files < <(git ls-files 'engine/*.cpp' 'engine/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' |
  grep -vxF -f <(grep -v '^#' "$pending") || true)
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  for f in "${bad[@]}"; do echo "$f:1:1: error: not clang-formatted (run: clang-format -i $f)" >&2; done
  exit 1
fi
while read -r f; do
  [ -z "$f" ] || [ "${f:0:1}" = "#" ] && continue
  [ -f "$f" ] || { echo "$pending: note: $f no longer exists; remove its line" >&2; continue; }
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 && echo "$pending: note: $f is formatted now; remove its line" >&2
done < "$pending"
echo "check_format: ${#files[@]} files formatted ($(grep -vc '^#' "$pending") pending in $pending)"
