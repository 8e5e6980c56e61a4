import { createToken } from './token';
import type { BuildContext, ConsoleEndpoint } from './build-context';
import type { DomainDraft } from '../plan/domain-draft';
import type { HostLeftovers } from '../host/host-leftovers';
import type { LibvirtDomain } from './libvirt-connector';
import type { SandboxConfig, SecuritySpec } from '../sandbox-config';

/**
 * What a backend's {@link SandboxBackend.prepare} found or made on the host (a kernel, a generated
 * initrd ...); core hands it back to `build` as `ctx.assets` and otherwise only reads these fields.
 */
export interface BackendAssets {
  /** One line shown on a terminal while the sandbox starts (`booting kernel 6.1.0-57-amd64`). */
  readonly startMessage?: string;
}

/** What a backend learned about a started sandbox on the host, asked once the app has ended. */
export interface StartedSandbox {
  /** True when the sandbox's memory limit made the kernel kill a process of it (the app's SIGKILL is then an OOM kill). */
  outOfMemory(): Promise<boolean>;
}

/** Host devices a backend attached for a run's `--disk` images; `release` lets them go, whenever the run ends. */
export interface AttachedDisks {
  /** One host block device per `config.disks` entry, in order. */
  readonly devices: readonly string[];
  release(): Promise<void>;
}

/** What {@link SandboxBackend.prepare} gets: the run's config and a way to tell the user something. */
export interface PrepareRequest {
  readonly config: SandboxConfig;
  /** Host path of the static guest init (a VM's initrd carries it). */
  readonly initPath: string;
  /** A one-line note for the user's stderr (e.g. which kernel was chosen instead of the running one). */
  readonly notify: (line: string) => void;
  /** `--verbose`: tell every choice on every run, also those a backend tells only once (a kernel choice). */
  readonly verbose?: boolean;
}

/**
 * What a backend's sandboxes are, which decides how mounts reach them: a `container` shares the
 * host's kernel and gets host directories mounted in (the LXC mappers); a `vm` boots its own kernel
 * and gets 9p shares and disks the guest init mounts (the VM mapper). A third-party backend says
 * which it is and reuses those mappers instead of writing its own.
 */
export type BackendKind = 'container' | 'vm';

/**
 * A hypervisor driver for sandboxes: claims libvirt URIs and fills the non-device and core device
 * parts of the domain. `build` is pure: it turns data into a draft, does no I/O, so golden files
 * can test it. Whatever needs the host's disk (finding a kernel, building an initrd) belongs in the
 * optional `prepare`, which core runs before planning; its result reaches `build` as `ctx.assets`.
 */
export interface SandboxBackend<A extends BackendAssets = BackendAssets> {
  /** Short id shown to users ('lxc', 'qemu'); also what transports match on. */
  readonly id: string;
  /** What its sandboxes are; filesystem mappers match on it (see {@link BackendKind}). */
  readonly kind: BackendKind;
  /**
   * True when `build` reads `ctx.hostGuests` (domain types and machines libvirt offers): core then
   * asks libvirt for its capabilities, a round trip it skips otherwise.
   */
  readonly needsCapabilities?: boolean;
  /**
   * True for a container backend, whose app shares the host's kernel: core then claims a host id
   * range for the run and the guest init puts the app in a user namespace of its own, with every
   * host filesystem idmapped (docs/DESIGN.md "User namespace"). A VM's root is the guest's own.
   */
  readonly userNamespace?: boolean;
  /** The console carrying the kernel's and init's log (`--debug` copies it to stderr), when there is one to read. */
  readonly logConsole?: string;
  /** True when this backend handles the URI's driver (`lxc:///`, `qemu+ssh://h/system` ...). */
  claims(uri: string): boolean;
  /**
   * The host label a run without `--security` gets (a root caller's VM runs as a per-sandbox uid,
   * not as root); absent or undefined = libvirt's default.
   */
  defaultSecurity?(config: SandboxConfig, assets: A | undefined): SecuritySpec | undefined;
  /** Host-side I/O before planning; errors here are SandboxErrors naming the flag, before any domain exists. */
  prepare?(request: PrepareRequest): Promise<A>;
  /**
   * Host-side work once the domain exists and before the app starts (a container keeps its host-side
   * processes from the OOM killer); what it returns is asked why the app died.
   */
  started?(domain: LibvirtDomain, ctx: BuildContext<A>): Promise<StartedSandbox>;
  /**
   * Attaches the `--disk` images as host block devices (a container gets devices, not files), just
   * before planning a real start (never for a dry run); core releases them once the run is over.
   */
  attachDisks?(config: SandboxConfig): Promise<AttachedDisks>;
  /** Fills type, memory, vcpus, os, features, root filesystem, config dir and the log console. */
  build(ctx: BuildContext<A>, draft: DomainDraft): void;
  /** Adds one more console (a terminal in the guest, e.g. for `--shell`) and says how both sides address it. */
  addConsole(ctx: BuildContext<A>, draft: DomainDraft): ConsoleEndpoint;
  /**
   * Adds a lossless byte stream for a transport, when the backend's consoles may drop data (QEMU's
   * virtio consoles do when the host reads late); transports fall back to `addConsole` without it.
   */
  addChannel?(ctx: BuildContext<A>, draft: DomainDraft): ConsoleEndpoint;
  /** The files libvirt's driver leaves on this host for the run's domain, for vsb to remove after it; undefined when none are known. */
  hostLeftovers?(config: SandboxConfig): HostLeftovers | undefined;
  /**
   * The cause of a failed start found in libvirt's log of the run (the text written since this run
   * began), when libvirt's own message does not hold it; undefined when the log says nothing more.
   */
  startFailureCause?(log: string): string | undefined;
}
/** Token of {@link SandboxBackend} (multi-registered). */
export const SandboxBackend = createToken<SandboxBackend>('SandboxBackend');
