import type { GuestCapability, HostCpuCapability } from '../plan/guest-capabilities';
import type { BackendAssets } from './sandbox-backend';
import type { SandboxConfig } from '../sandbox-config';

/** Where things live for one sandbox, as seen from the host and from the guest. */
export interface BuildContext<A extends BackendAssets = BackendAssets> {
  readonly config: SandboxConfig;
  /** Id of the backend building the domain ('lxc', 'qemu', ...). */
  readonly backendId: string;
  /** Host directory of this sandbox's state (`/run/vsb/NAME`). */
  readonly stateDir: string;
  /**
   * Directory holding the guest config and init as libvirt's host sees it: `STATEDIR/config`, or on
   * a remote host the run's stage there (core/run/remote-stage); what the domain XML names.
   */
  readonly configDir: string;
  /** The same directory as the guest sees it. */
  readonly guestConfigDir: string;
  /**
   * The path by which libvirt's host reaches a local file the domain references (a VM's kernel and
   * initrd): the file itself, or on a remote host its uploaded copy in the stage.
   */
  hostFile(file: string): string;
  /** Security models the host's libvirt offers for this driver (from capabilities), e.g. ['none'] or ['selinux','dac']. */
  readonly hostSecurityModels: readonly string[];
  /** Base labels per model and domain type (`{ dac: { qemu: '+64055:+64055' } }`); absent in dry runs. */
  readonly hostSecurityBaseLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The guests the host's libvirt can run (from capabilities); undefined when libvirt was not asked (dry run). */
  readonly hostGuests?: readonly GuestCapability[];
  /** libvirt's word on its host's CPU (from capabilities), which a VM backend needs for a remote host; absent when libvirt was not asked. */
  readonly hostCpu?: HostCpuCapability;
  /** What the backend's `prepare` returned, when it has one. */
  readonly assets?: A;
  /** Host block devices holding the `--disk` images, index by index (backends with `attachDisks`); absent in dry runs. */
  readonly diskDevices?: readonly string[];
}

/** A console device a backend added for a transport: its libvirt device name and its path in the guest. */
export interface ConsoleEndpoint {
  /** Name for `virDomainOpenConsole`, e.g. 'console1' (for a channel: its name for `virDomainOpenChannel`). */
  readonly devname: string;
  /** True for a `<channel>` (opened with `openChannel`), absent for a console. */
  readonly channel?: boolean;
  /** Device the guest init opens, e.g. '/dev/tty2' (LXC) or '/dev/hvc0' (QEMU). */
  readonly guestPath: string;
}
