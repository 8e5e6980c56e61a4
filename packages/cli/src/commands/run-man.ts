import type { ManSections } from '../man/man-sections';

/** The sections of vsb-run(1) that its flags and examples cannot say. */
export const runMan: ManSections = {
  exitStatus: [
    { term: '0-125', text: 'The exit status of COMMAND.' },
    { term: '128+N', text: 'COMMAND was killed by signal N (as a shell reports it), or vsb was, and ended the sandbox.' },
    { term: '1', text: 'The sandbox could not be started (libvirt refused the domain, the guest failed to come up); the message says why.' },
    { term: '2', text: 'A usage error: one line naming the option, printed before any domain is created.' },
    'With --detach: 0 once COMMAND runs (its exit status goes to vsb ps with --keep); 1 when the sandbox could not be started; 126 or 127 when COMMAND could not be executed; nothing is left after a failed start.',
  ],
  environment: [
    {
      term: 'VSB_PLUGINS',
      text: 'A colon-separated list of module names or paths of third-party plugins (backends, transports, security models) loaded after the built-in ones.',
    },
    { term: 'VSB_TIMING', text: 'When set, print the time of each start-up step, as --debug does.' },
    { term: 'VSB_STATE_ROOT', text: 'Where state directories are made instead of /run/vsb (root) or $XDG_RUNTIME_DIR/vsb.' },
    { term: 'XDG_RUNTIME_DIR', text: 'Parent of the state root of a user other than root.' },
    { term: 'VSB_CACHE_DIR', text: 'Where VM boot files are cached instead of /var/cache/vsb (root) or $XDG_CACHE_HOME/vsb.' },
    { term: 'XDG_CACHE_HOME', text: 'Parent of the cache of VM boot files of a user other than root (default ~/.cache).' },
    { term: 'TERM', text: 'Passed to COMMAND when it runs on a pty.' },
  ],
  files: [
    {
      term: '/run/vsb/NAME',
      text: 'The state directory of a running sandbox (guest config, the init, staging directories, temporary host-binds), removed when the run ends, even when vsb is killed.',
    },
    { term: '/run/vsb/NAME/app.log, app.log.1', text: "--detach: the bounded log of COMMAND's stdout and stderr (vsb logs)." },
    {
      term: '/run/vsb/NAME/keeper.json, keeper.sock',
      text: '--detach: what the keeper says of the sandbox (vsb ps), and its control socket (vsb stop, exec, attach).',
    },
    { term: '/var/cache/vsb', text: 'VMs: the extracted kernel and the initrds vsb builds, reused by later runs ($XDG_CACHE_HOME/vsb for other users).' },
    {
      term: '/var/cache/vsb/guest-kernel',
      text: "VMs: a kernel with its modules unpacked by vsb's set-up, used when the running kernel has no image or modules.",
    },
  ],
  security: [
    'Root in a sandbox is never root on the host, with or without SELinux. Three layers confine COMMAND.',
    {
      term: 'Host side',
      text: "The libvirt driver isolates the sandbox: LXC in its own namespaces and cgroup, QEMU in a virtual machine; a root caller's QEMU runs as a per-sandbox uid. --security adds a libvirt security label (SELinux sVirt, DAC); a model the host does not offer is refused.",
    },
    {
      term: 'User namespace (LXC)',
      text: 'COMMAND runs in a user namespace of its own whose ids are an unprivileged host range; every host filesystem is idmapped: host files show as owned by 65534, root-only files, cgroups and host unix sockets are out of reach, writes into a host-bind land on the host as the caller, and no mount can be made writable again. --pids bounds its processes, and the OOM killer takes COMMAND first.',
    },
    {
      term: 'Guest side',
      text: "The guest init applies a seccomp filter (no module loading, mount, kexec, bpf, new user namespaces ...) and a Landlock ruleset (writes only to writable mounts) to COMMAND just before it starts, on both backends; --no-seccomp and --no-landlock lift them. --privileged gives root with full capabilities inside the sandbox's user namespace, none on the host.",
    },
    "The root filesystem is the host's, read-only: COMMAND can read what any unprivileged user can read on the host.",
  ],
  seeAlso: ['vsb(1)', 'vsb-doctor(1)', 'vsb-ps(1)', 'vsb-exec(1)', 'vsb-attach(1)', 'vsb-logs(1)', 'vsb-stop(1)', 'virsh(1)', 'libvirtd(8)', 'virt-sandbox(1)'],
};
