# shellcheck shell=bash
# Functions of scripts/setup.sh; sourced, expects REPO to be set and `set -euo pipefail`.
# Each ensure_* checks cheaply first and acts only when something is missing, printing one line.

DEBIAN_PACKAGES=(
  libvirt-daemon-system libvirt-daemon-driver-lxc libvirt-daemon-driver-qemu libvirt-clients
  libvirt-dev qemu-system-x86 dnsmasq-base qemu-utils busybox-static bubblewrap kmod mandoc man-db zsh shellcheck clang-format
  libvirt-daemon-config-nwfilter
  bsdutils tmux
  openssh-server
)
STAMP_DIR="$REPO/node_modules/.vsb-setup"
LIBVIRT_LOG=/var/log/libvirt/vsb-libvirtd.log

say() { printf 'vsb setup: %s\n' "$*"; }
die() { printf 'vsb setup: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Prints the packages of DEBIAN_PACKAGES that dpkg does not report as installed.
missing_debian_packages() {
  local installed
  installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null \
    | awk '$2 == "ii" { print $1 }')"
  local pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    grep -qx -- "$pkg" <<<"$installed" || printf '%s\n' "$pkg"
  done
}

ensure_debian_packages() {
  local missing
  missing="$(missing_debian_packages | tr '\n' ' ')"
  missing="${missing% }"
  if [ -z "$missing" ]; then
    say "Debian packages present"
    return
  fi
  is_root || die "missing Debian packages; run as root: apt-get update && apt-get install -y $missing"
  say "installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No service a package brings may start (openssh-server's sshd would listen on every address):
  # the remote-URI tests start their own sshd on loopback. A policy-rc.d already there is kept.
  local policy=/usr/sbin/policy-rc.d made_policy=''
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  local rc=0
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -qq $missing >/dev/null || rc=$?
  [ -z "$made_policy" ] || rm -f "$policy"
  [ "$rc" -eq 0 ] || die "apt-get install failed (exit $rc)"
}

# A fingerprint of everything that decides the content of node_modules.
dependency_fingerprint() {
  cat "$REPO/package.json" "$REPO/package-lock.json" \
    "$REPO"/packages/*/package.json "$REPO"/plugins/*/package.json "$REPO"/test/*/package.json \
    2>/dev/null | sha256sum | cut -d' ' -f1
}

ensure_node_modules() {
  local stamp="$STAMP_DIR/dependencies" want
  want="$(dependency_fingerprint)"
  if [ -d "$REPO/node_modules" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "node_modules up to date"
    return
  fi
  (
    cd "$REPO" || exit
    exec 8>/tmp/vsb-npm.lock
    flock 8
    local npm_flags=(--no-audit --no-fund --loglevel=error)
    if [ -d node_modules ]; then
      say "node_modules stale: npm install"
      npm install "${npm_flags[@]}" >/dev/null
    else
      say "node_modules missing: npm ci"
      npm ci "${npm_flags[@]}" >/dev/null || npm install "${npm_flags[@]}" >/dev/null
    fi
  )
  mkdir -p "$STAMP_DIR"
  dependency_fingerprint >"$stamp"
}

# Prints the first source file newer than the build stamp (nothing when the build is current).
newer_source_file() {
  local stamp="$1"
  find "$REPO/packages" "$REPO/plugins" "$REPO/test" \
    \( -name node_modules -o -name dist -o -name build \) -prune -o \
    -type f -newer "$stamp" -print -quit 2>/dev/null
  find "$REPO" -maxdepth 1 -name 'tsconfig*.json' -newer "$stamp" -print -quit
}

ensure_build() {
  local stamp="$STAMP_DIR/build" addon="$REPO/packages/libvirt/build/Release/vsb_libvirt.node"
  if [ -f "$stamp" ] && [ -f "$addon" ] && [ -z "$(newer_source_file "$stamp")" ]; then
    say "build up to date"
    return
  fi
  say "building: npm run build"
  mkdir -p "$STAMP_DIR"
  local next="$stamp.next"
  touch "$next" # taken before the build, so edits made during it trigger the next one
  local log
  log="$(mktemp)"
  if ! (cd "$REPO" && npm run build --silent) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log" "$next"
    die "build failed (output above)"
  fi
  rm -f "$log"
  mv "$next" "$stamp"
}

ensure_libvirt_dirs() {
  if [ -d /var/log/libvirt ] && [ -d /var/run/libvirt ]; then
    say "libvirt directories present"
    return
  fi
  is_root || die "missing /var/log/libvirt or /var/run/libvirt; run as root: mkdir -p /var/log/libvirt /var/run/libvirt"
  mkdir -p /var/log/libvirt /var/run/libvirt
  say "created /var/log/libvirt /var/run/libvirt"
}

ensure_virtlogd() {
  if pgrep -x virtlogd >/dev/null; then
    say "virtlogd already running"
    return
  fi
  is_root || die "virtlogd is not running; run as root: virtlogd -d"
  virtlogd -d </dev/null >/dev/null 2>&1 9>&-
  say "virtlogd started"
}

# True when cgroup v1 controllers sit under /sys/fs/cgroup with cgroup2 mounted at .../unified:
# libvirt 9's LXC driver fails on that layout ("Unable to create directory /sys/fs/cgroup/unified").
hybrid_cgroups() {
  [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] &&
    [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] &&
    grep -q ' /sys/fs/cgroup/unified ' /proc/self/mountinfo
}

start_libvirtd() {
  if hybrid_cgroups; then
    # Hide the cgroup2 mount from libvirtd only, in a private mount namespace; the host keeps it.
    unshare --mount --propagation private \
      sh -c 'umount /sys/fs/cgroup/unified && exec libvirtd -d' </dev/null >>"$LIBVIRT_LOG" 2>&1 9>&-
    say "libvirtd started (hybrid cgroups: cgroup2 hidden in a private mount namespace)"
  else
    libvirtd -d </dev/null >>"$LIBVIRT_LOG" 2>&1 9>&-
    say "libvirtd started"
  fi
}

# Waits until libvirtd answers on its socket (at most $1 tenths of a second).
wait_libvirtd() {
  local tries="$1" i
  for ((i = 0; i < tries; i++)); do
    virsh -q -c lxc:/// version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

LIBVIRT_SOCK=/var/run/libvirt/libvirt-sock

libvirtd_up() { pgrep -x libvirtd >/dev/null && [ -S "$LIBVIRT_SOCK" ]; }

ensure_libvirtd() {
  if libvirtd_up; then
    say "libvirtd already running"
    return
  fi
  is_root || die "libvirtd is not running; run as root: npm run setup"
  local i=0
  # A libvirtd without its socket is starting or shutting down: let it finish either way.
  while ((i++ < 100)) && pgrep -x libvirtd >/dev/null && ! libvirtd_up; do
    sleep 0.1
  done
  if libvirtd_up; then
    say "libvirtd already running"
    return
  fi
  pgrep -x libvirtd >/dev/null && die "libvirtd runs but opened no socket within 10 s (see $LIBVIRT_LOG)"
  start_libvirtd
  wait_libvirtd 300 || die "libvirtd did not answer within 30 s (see $LIBVIRT_LOG)"
  say "libvirtd answers on its socket"
}

# Where QEMU sandboxes find a kernel when the host's own has no image or modules (containers,
# cloud VMs); packages/vm-boot/src/choose-kernel.ts looks here too.
GUEST_KERNEL_ROOT=/var/cache/vsb/guest-kernel

# True when the running kernel, or one unpacked before, has both an image and modules.dep.
usable_kernel() {
  local root ver
  for root in / "$GUEST_KERNEL_ROOT"; do
    for image in "$root"/boot/vmlinuz-*; do
      [ -f "$image" ] || continue
      ver="${image##*/vmlinuz-}"
      [ -f "$root/lib/modules/$ver/modules.dep" ] && return 0
    done
  done
  return 1
}

# A guest kernel for QEMU sandboxes: Debian's linux-image-amd64 (9p as modules; the cloud flavour
# lacks 9p), unpacked with dpkg -x instead of installed, which skips its 3-minute initramfs hook
# and leaves the host's /boot alone. depmod makes the modules.dep that vsb resolves modules from.
ensure_guest_kernel() {
  if usable_kernel; then
    say "guest kernel present"
    return
  fi
  is_root || die "no kernel with image and modules for QEMU sandboxes; run as root: npm run setup"
  local pkg tmp ver
  pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
  [ -n "$pkg" ] || die "cannot tell which kernel package linux-image-amd64 depends on (apt-get update?)"
  say "unpacking guest kernel $pkg into $GUEST_KERNEL_ROOT"
  tmp="$(mktemp -d)"
  # _apt cannot write into a root-only temp dir; it downloads as root then, which is fine here.
  if ! (cd "$tmp" && apt-get download -qq "$pkg" 2>/dev/null); then
    rm -rf "$tmp"
    die "apt-get download $pkg failed"
  fi
  mkdir -p "$GUEST_KERNEL_ROOT"
  dpkg -x "$tmp"/*.deb "$tmp/root"
  ver="$(basename "$tmp"/root/lib/modules/*)"
  depmod -b "$tmp/root" "$ver"
  # Only complete trees land in the cache: a run never sees half a kernel.
  cp -a "$tmp/root/." "$GUEST_KERNEL_ROOT/"
  rm -rf "$tmp"
  say "guest kernel $ver ready"
}

# Both drivers must answer: LXC for containers, QEMU for VMs. Checked in parallel to stay fast.
check_drivers() {
  local lxc_out qemu_out
  lxc_out="$(mktemp)" qemu_out="$(mktemp)"
  virsh -c lxc:/// version >"$lxc_out" 2>&1 &
  local lxc_pid=$!
  virsh -c qemu:///system version >"$qemu_out" 2>&1 &
  local qemu_pid=$!
  local ok=1
  wait "$lxc_pid" || { ok=0; say "LXC driver does not answer: $(tr '\n' ' ' <"$lxc_out")"; }
  wait "$qemu_pid" || { ok=0; say "QEMU driver does not answer: $(tr '\n' ' ' <"$qemu_out")"; }
  rm -f "$lxc_out" "$qemu_out"
  [ "$ok" = 1 ] || die "libvirt drivers not ready (see $LIBVIRT_LOG)"
  say "libvirt LXC and QEMU drivers answer"
}

# Where `man` looks for pages of locally installed programs (man-db's default manpath).
MAN_DIR=/usr/local/share/man/man1

# The pages `npm run build` made (packages/cli/dist/man/man1), copied where `man vsb-run` finds
# them; copied, not linked, so they outlive this checkout. Only pages that changed are written.
ensure_man_pages() {
  local built="$REPO/packages/cli/dist/man/man1" page stale=()
  for page in "$built"/*.1; do
    [ -f "$page" ] || die "no man pages in $built (build failed?)"
    cmp -s "$page" "$MAN_DIR/${page##*/}" || stale+=("$page")
  done
  if [ "${#stale[@]}" -eq 0 ]; then
    say "man pages installed"
    return
  fi
  is_root || { say "man pages not installed (needs root); read one with: man -l $built/vsb-run.1"; return; }
  mkdir -p "$MAN_DIR"
  cp "${stale[@]}" "$MAN_DIR/"
  say "man pages installed in $MAN_DIR: ${stale[*]##*/}"
}

# Completion is the user's choice (it edits their shell's start-up file): say how, change nothing.
print_completion_hint() {
  say "shell completion: npx vsb autocomplete bash (or zsh) prints the line to add to your shell's start-up file"
}

# `vsb run -N` without source= uses libvirt's `default` network: Debian defines it (NAT on virbr0)
# but does not start it. Started once; already active is fine, a missing definition is only noted.
ensure_default_network() {
  local state
  state="$(virsh -q -c qemu:///system net-info default 2>/dev/null | awk '$1 == "Active:" { print $2 }')"
  if [ "$state" = yes ]; then
    say "libvirt network 'default' active"
    return
  fi
  if [ -z "$state" ]; then
    say "libvirt network 'default' is not defined: -N needs source=NET"
    return
  fi
  is_root || die "libvirt network 'default' is inactive; run as root: virsh net-start default"
  # Two set-ups can race here: one that lost finds it active.
  virsh -q -c qemu:///system net-start default >/dev/null 2>&1 ||
    [ "$(virsh -q -c qemu:///system net-info default 2>/dev/null | awk '$1 == "Active:" { print $2 }')" = yes ] ||
    die "virsh net-start default failed"
  say "libvirt network 'default' started"
}
