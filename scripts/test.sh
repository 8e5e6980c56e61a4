#!/usr/bin/env bash
# `npm test`: set the host up when needed (packages, build, libvirtd), then run every package's unit
# tests and the integration tests against the real libvirtd in one mocha run (one summary).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
specs=()
for dir in packages/*/dist/test plugins/*/dist/test test/dist; do
  [ -d "$dir" ] && specs+=("$dir/**/*.test.js")
done
exec npx mocha --exit "${specs[@]}" "$@"
