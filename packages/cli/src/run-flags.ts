import { Flags, type Interfaces } from '@oclif/core';
import { LOG_BOUND_BYTES } from './keeper/log-files';
import { formatMiB } from './format-mib';

/**
 * The flags of `vsb run`, in one object so that their parsed type ({@link RunFlags}) follows from
 * them: a flag added here is typed in every function that reads the parsed flags.
 */
export const RUN_FLAGS = {
  connect: Flags.string({
    char: 'c',
    summary: 'libvirt URI: lxc:/// (default), qemu:///system, a remote one (qemu+ssh://root@HOST/system), or any a plugin claims',
    helpValue: 'URI',
  }),
  name: Flags.string({ char: 'n', summary: 'name of the sandbox (default: vsb-<random>)', helpValue: 'NAME' }),
  root: Flags.string({ char: 'r', summary: 'host directory used read-only as the root filesystem (default: /)', helpValue: 'DIR' }),
  mount: Flags.string({
    char: 'm',
    multiple: true,
    helpValue: 'TYPE:DST=SRC',
    summary: 'mount: host-bind:DST=SRC[,ro] (empty SRC: temp dir), host-image:DST=FILE[,format=raw|qcow2], guest-bind:DST=SRC, ram:DST=SIZE',
  }),
  include: Flags.string({
    char: 'i',
    multiple: true,
    helpValue: 'GUEST[=HOST]',
    summary: 'copy a host file or directory into a mount before the command starts',
  }),
  includefile: Flags.string({ char: 'I', multiple: true, helpValue: 'FILE', summary: 'copy the paths listed in FILE (one GUEST[=HOST] a line)' }),
  'mount-temp-home': Flags.boolean({ char: 'M', summary: 'give the command an empty temporary $HOME and /tmp (removed after the run)' }),
  homedir: Flags.string({ char: 'H', helpValue: 'DIR', summary: 'use the host directory DIR as $HOME (SELinux sandbox -H)' }),
  tmpdir: Flags.string({ char: 'T', helpValue: 'DIR', summary: 'use the host directory DIR as /tmp (SELinux sandbox -T)' }),
  network: Flags.string({
    char: 'N',
    multiple: true,
    helpValue: 'OPTS',
    summary:
      'add an interface (eth0, eth1 ...): dhcp | address=IP/PREFIX[%BCAST],route=NET/PREFIX%GW ; source=NET, mac=MAC, filter=NAME, filter.KEY=VAL | user (VMs)',
  }),
  security: Flags.string({
    char: 's',
    helpValue: 'OPTS',
    summary: 'host security label: dynamic | static,label=LABEL | inherit | none | dac[,label=+UID:+GID]',
  }),
  seccomp: Flags.boolean({
    allowNo: true,
    default: true,
    summary: 'refuse kernel-level syscalls (modules, mount, new user namespaces ...) to the command; --no-seccomp lifts it',
  }),
  landlock: Flags.boolean({ allowNo: true, default: true, summary: 'let the command write only to its writable mounts (Landlock); --no-landlock lifts it' }),
  privileged: Flags.boolean({ char: 'p', summary: 'run as root with full capabilities inside the sandbox (none on the host)' }),
  switchto: Flags.string({ char: 'S', helpValue: 'USER', summary: 'run as USER (looked up on the host) instead of yourself' }),
  workdir: Flags.string({
    char: 'w',
    helpValue: 'DIR',
    summary: 'start the command in DIR (default: your working directory when the sandbox sees it, else $HOME)',
  }),
  env: Flags.string({
    char: 'e',
    multiple: true,
    helpValue: 'KEY=VALUE|KEY',
    summary: 'set an environment variable, or pass your KEY (repeatable, later wins; LANG, LC_* and TZ are passed by default)',
  }),
  'env-file': Flags.string({ multiple: true, helpValue: 'FILE', summary: 'read environment variables from FILE (one KEY=VALUE or KEY a line, # comments)' }),
  shell: Flags.boolean({ char: 'l', summary: 'start an extra root shell on a second console, for debugging' }),
  disk: Flags.string({ multiple: true, helpValue: 'file:TAG=SRC[,format=F]', summary: 'attach a disk image, seen as /dev/disk/by-tag/TAG' }),
  kernver: Flags.string({ helpValue: 'VERSION', summary: 'VMs: kernel release to boot (default: the running kernel, else the newest installed)' }),
  kernpath: Flags.string({ helpValue: 'FILE', summary: 'VMs: kernel image (default: /boot/vmlinuz-VERSION)' }),
  kmodpath: Flags.string({ helpValue: 'DIR', summary: 'VMs: kernel module directory (default: /lib/modules)' }),
  memory: Flags.string({ helpValue: 'SIZE', summary: 'memory limit (default 512M; K, M, G, T suffixes)' }),
  vcpus: Flags.string({ helpValue: 'N', summary: 'number of CPUs (default 1; a container gets N host CPUs, at most what the host has)' }),
  pids: Flags.string({ helpValue: 'N|unlimited', summary: `containers: at most N processes and threads in the sandbox (default 4096)` }),
  tty: Flags.boolean({
    allowNo: true,
    summary: 'run the command on a pty (default: when stdin and stdout are terminals; with --detach only on --tty, for vsb attach); --no-tty: never',
  }),
  transport: Flags.string({ helpValue: 'ID', summary: 'console transport: socket-rpc (default for local LXC) or console-rpc (libvirt console, any URI)' }),
  'dry-run': Flags.boolean({ summary: 'print the libvirt domain XML and exit without starting anything' }),
  debug: Flags.boolean({ char: 'd', summary: "print timings of each start-up step and the init's log" }),
  record: Flags.string({
    helpValue: 'FILE',
    exclusive: ['record-fd'],
    summary: 'when the run ends, write one JSON object to FILE: exit code or signal, OOM, times, peak memory, bytes relayed, error',
    description:
      'Written however the run ends (also on SIGINT/SIGTERM), one line: {"name", "uri", "backend", "command": [..], "exitCode", "signal", "signalName", "interruptedBy", "oom", "startupMs", "runMs", "peakMemoryBytes", "bytes": {"stdin", "stdout", "stderr"}, "error"}; what could not be measured is null.',
  }),
  'record-fd': Flags.integer({ helpValue: 'N', min: 0, summary: 'write the --record object to the open file descriptor N instead' }),
  detach: Flags.boolean({
    exclusive: ['dry-run', 'record', 'record-fd'],
    summary: 'start the sandbox in the background: print its name and exit 0 once the command runs (vsb ps, exec, attach, logs, stop)',
    description: `A keeper process of its own holds the sandbox: if it dies, however, the sandbox ends and nothing is left. The command's stdin is /dev/null (with --tty: a pty, which vsb attach connects a terminal to); its stdout and stderr go to a log of at most ${formatMiB(LOG_BOUND_BYTES)} (the oldest half is dropped first) that vsb logs shows, and to those attached. vsb exec runs more commands in it. The sandbox ends when the command exits, unless --keep. Long form only: -d is --debug.`,
  }),
  keep: Flags.boolean({
    dependsOn: ['detach'],
    summary: 'with --detach: when the command exits, keep the sandbox listed (vsb ps shows how it ended) with its log until vsb stop',
  }),
  quiet: Flags.boolean({ char: 'q', summary: 'print no notes (vsb: note: ...), only errors' }),
  verbose: Flags.boolean({ char: 'v', summary: 'print every note on every run, and which sandbox runs where' }),
};

/**
 * oclif types a boolean flag as `boolean`, yet leaves one that was not given (and has no default)
 * undefined: so that the compiler asks for `?? false` or `Boolean()` where that matters.
 */
type UnsetBooleans<F> = { [K in keyof F]: F[K] extends boolean ? F[K] | undefined : F[K] };

/** The `vsb run` flags as oclif parses them. */
export type RunFlags = UnsetBooleans<Interfaces.InferredFlags<typeof RUN_FLAGS>>;
