/** A host directory bound into the sandbox (libvirt `<filesystem type='mount'>`). Empty source: a fresh temp dir. */
export interface HostBindMount {
  readonly type: 'host-bind';
  readonly target: string;
  /** Host directory; '' asks for a temporary directory under the state dir, removed after the run. */
  readonly source: string;
  readonly readonly: boolean;
  /** `relabel=yes|no`: let libvirt's security model label the source for the sandbox; absent = the model's default. */
  readonly relabel?: boolean;
  /** The option it came from when not `--mount` (`--homedir '/x'`), for messages. */
  readonly origin?: string;
}

/** A disk image holding a filesystem (libvirt `<filesystem type='file'>`). */
export interface HostImageMount {
  readonly type: 'host-image';
  readonly target: string;
  readonly source: string;
  readonly format: 'raw' | 'qcow2';
  /** `relabel=yes|no`, as for host-bind. */
  readonly relabel?: boolean;
}

/** A path inside the sandbox bound at another path, done inside the guest. */
export interface GuestBindMount {
  readonly type: 'guest-bind';
  readonly target: string;
  readonly source: string;
}

/** A tmpfs of a fixed size (libvirt `<filesystem type='ram'>`). */
export interface RamMount {
  readonly type: 'ram';
  readonly target: string;
  readonly sizeBytes: number;
}

/** One `--mount` entry; order on the command line is kept. */
export type MountSpec = HostBindMount | HostImageMount | GuestBindMount | RamMount;
export type MountType = MountSpec['type'];

/** `--include GUEST[=HOST]`: copy HOST (default: the same path) into the mount holding GUEST. */
export interface IncludeSpec {
  readonly guest: string;
  readonly host: string;
}

/** An IPv4 or IPv6 address with its prefix, and an optional broadcast (`address=IP/PREFIX%BCAST`). */
export interface NetworkAddress {
  readonly address: string;
  readonly prefix: number;
  readonly broadcast?: string;
}

/** `route=NET/PREFIX%GW`. */
export interface NetworkRoute {
  readonly network: string;
  readonly prefix: number;
  readonly gateway: string;
}

/** One `--network` interface. */
export interface NetworkSpec {
  /** `-N user`: user-mode networking (VMs, through passt); no other option applies. */
  readonly user?: true;
  readonly dhcp: boolean;
  readonly source?: string;
  readonly mac?: string;
  readonly addresses: readonly NetworkAddress[];
  readonly routes: readonly NetworkRoute[];
  readonly filter?: string;
  readonly filterParams: ReadonlyArray<readonly [string, string]>;
}

/** `--disk TYPE:TAG=SRC[,format=F]`: an extra block device seen as /dev/disk/by-tag/TAG. */
export interface DiskSpec {
  readonly type: 'file';
  readonly tag: string;
  readonly source: string;
  readonly format: 'raw' | 'qcow2';
}

/** `--security`: how the sandbox's processes are labelled on the host. */
export type SecuritySpec =
  | { readonly mode: 'dynamic'; readonly model?: string; readonly label?: string; readonly relabel?: boolean }
  | { readonly mode: 'static'; readonly model?: string; readonly label: string; readonly relabel?: boolean }
  | { readonly mode: 'inherit'; readonly model?: string }
  | { readonly mode: 'none' };

/** `--kernver`, `--kernpath`, `--kmodpath` (the original's flags): which kernel a VM sandbox boots. */
export interface KernelSpec {
  /** Kernel release, e.g. '6.1.0-57-amd64' (default: the running kernel, else the newest installed). */
  readonly version?: string;
  /** Kernel image (default: /boot/vmlinuz-VERSION). */
  readonly image?: string;
  /** Module directory: the one holding VERSION/ (default /lib/modules), or VERSION's own. */
  readonly modules?: string;
}

/** Who the app runs as inside the sandbox. */
export interface Identity {
  readonly uid: number;
  readonly gid: number;
  /** Supplementary groups. */
  readonly groups: readonly number[];
  readonly user: string;
  readonly home: string;
  /** Root with the container's full capabilities; any other identity (root included) gets none. */
  readonly privileged: boolean;
}

/** Everything one sandbox run needs. Pure data: written to the state dir and read by the guest init. */
export interface SandboxConfig {
  readonly name: string;
  readonly uri: string;
  /** Root filesystem source on the host, bound read-only at `/`. */
  readonly root: string;
  readonly identity: Identity;
  readonly memoryBytes: number;
  readonly vcpus: number;
  /** At most this many processes and threads in the sandbox (`--pids`); 0 = no bound; absent = DEFAULT_PIDS. */
  readonly pids?: number;
  readonly mounts: readonly MountSpec[];
  readonly includes: readonly IncludeSpec[];
  readonly networks: readonly NetworkSpec[];
  readonly disks: readonly DiskSpec[];
  /** In command-line order; a later KEY wins. */
  readonly env: ReadonlyArray<readonly [string, string]>;
  readonly security?: SecuritySpec;
  /**
   * Where the app starts: `-w DIR` (strict: a directory it cannot enter fails the run), or the
   * caller's working directory when the sandbox sees it (not strict: else `$HOME`, then `/`).
   * Absent: `$HOME`, else `/`.
   */
  readonly workdir?: { readonly dir: string; readonly strict: boolean };
  /** argv of the app. */
  readonly command: readonly string[];
  /** Run the app on a pty (stdout and stderr merged), as when vsb's stdin is a terminal. */
  readonly tty: boolean;
  /** In tty mode, keep the app's stderr on a pipe apart from the pty (vsb's own stderr is not that terminal, e.g. `2>file`). */
  readonly splitStderr?: boolean;
  /** Extra root shell on another console, for debugging. */
  readonly shell: boolean;
  readonly debug: boolean;
  /** The guest init gives the app a seccomp filter refusing kernel-level syscalls (`--no-seccomp` turns it off). */
  readonly seccomp: boolean;
  /** The guest init confines the app's writes to its writable mounts with Landlock (`--no-landlock` turns it off). */
  readonly landlock: boolean;
  /** Id of the console transport to use (`--transport`); default: the highest priority one that applies. */
  readonly transport?: string;
  /** VM backends only; absent = their defaults. */
  readonly kernel?: KernelSpec;
}

/** Default memory of a sandbox (the original's fixed 512 MiB). */
export const DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024;
/** Default URI: a Linux container. */
export const DEFAULT_URI = 'lxc:///';
