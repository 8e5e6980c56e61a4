#!/usr/bin/env bash
# `npm run bench`'s own set-up: the peer sandboxes it measures vsb against, from Debian. Not part
# of scripts/setup.sh: tests need none of them. Idempotent (dpkg is asked first).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib/setup-lib.sh
source "$REPO/scripts/lib/setup-lib.sh"
# gcc builds the VM floor's power-off init; podman brings crun.
DEBIAN_PACKAGES=(bubblewrap firejail systemd-container podman crun gcc libc6-dev)

exec 9>/tmp/vsb-setup.lock
flock 9
ensure_debian_packages
