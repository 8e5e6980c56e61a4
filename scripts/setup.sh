#!/usr/bin/env bash
# vsb host set-up: installs what is missing, builds the monorepo and starts libvirt (no systemd needed).
# Idempotent: when everything is in place it only checks, in well under a second.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/setup-lib.sh
source "$REPO/scripts/lib/setup-lib.sh"

main() {
  # One set-up at a time on this machine: parallel test runs must not start two libvirtds.
  exec 9>/tmp/vsb-setup.lock
  flock 9
  ensure_debian_packages
  ensure_node_modules
  ensure_build
  ensure_man_pages
  ensure_guest_kernel
  ensure_libvirt_dirs
  ensure_virtlogd
  ensure_libvirtd
  check_drivers
  ensure_default_network
  print_completion_hint
}

main "$@"
