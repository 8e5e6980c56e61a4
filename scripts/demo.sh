#!/usr/bin/env bash
# `npm run demo`: set the host up when needed, then run a real sandbox and show what it saw.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
vsb=packages/cli/bin/run.js
echo "\$ vsb run -- /bin/sh -c 'id; hostname; ...'"
# The script is the sandbox's: it expands inside, not here.
# shellcheck disable=SC2016
node "$vsb" run -- /bin/sh -c '
  echo "id:       $(id)"
  echo "hostname: $(hostname)"
  echo "pid:      $$ (processes visible: $(ls -d /proc/[0-9]* | wc -l))"
  echo "network:  $(ls /sys/class/net | tr "\n" " ")"
  if touch /vsb-demo-write 2>/dev/null; then echo "write to /: allowed (unexpected)"; else echo "write to /: refused (read-only root)"; fi'
echo "exit status: $?"
echo "\$ vsb doctor   (man vsb, man vsb-run: the manual)"
node "$vsb" doctor
