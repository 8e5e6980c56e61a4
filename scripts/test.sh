#!/usr/bin/env bash
# `npm test`: set the host up when needed (packages, build, libvirtd), then run every package's unit
# tests (the C init's first) and the integration tests against the real libvirtd in one mocha run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The guest init's own C tests (protocol vectors, config reader, end-to-end over a pty).
make -s -C packages/guest-init test
# The same on an ASan+UBSan build of the init; then the linters (eslint, prettier, shellcheck, clang-format), failing on any finding.
make -s -C packages/guest-init sanitize
npm run -s lint
specs=()
for dir in packages/*/dist/test plugins/*/dist/test test/dist; do
  [ -d "$dir" ] && specs+=("$dir/**/*.test.js")
done
exec npx mocha --forbid-only --forbid-pending "${specs[@]}" "$@"
