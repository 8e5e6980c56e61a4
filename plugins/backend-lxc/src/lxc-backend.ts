import type {
  AttachedDisks,
  BackendAssets,
  BuildContext,
  SandboxConfig,
  ConsoleEndpoint,
  DomainDraft,
  HostLeftovers,
  LibvirtDomain,
  PrepareRequest,
  SandboxBackend,
  StartedSandbox,
} from '@vsb/core';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, interfaceElement, interfaceName, libvirtArch, SandboxError, systemDriverLeftovers, uriDriver } from '@vsb/core';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { attachLoopDisks } from './attach-loop-disks';
import { containerHostSide } from './container-host-side';
import { cpusetFor, onlineCpus } from './host-cpus';
import { passthroughMount } from './passthrough-mount';

/** What an LXC sandbox takes from the host before it is planned. */
export interface LxcAssets extends BackendAssets {
  /** The host CPUs the container may run on (`--vcpus N` of them), as a libvirt cpuset. */
  readonly cpuset: string;
}

/**
 * Sandboxes as libvirt LXC containers (`<domain type='lxc'>`), as the original's BuilderContainer:
 * the guest init as `<init>`, the host root (or `--root`) bound read-only at `/`, the config dir
 * bound read-only, no network unless asked (`<privnet/>`; `-N`: a veth on a libvirt network each), and console0 for the init's log. The
 * app runs in a user namespace of its own (`userNamespace`), confined to `--vcpus` host CPUs.
 */
export class LxcBackend implements SandboxBackend<LxcAssets> {
  readonly id = 'lxc';
  readonly kind = 'container' as const;
  readonly userNamespace = true;

  /** libvirt's LXC driver takes `<vcpu>` as a number only: the CPUs come from the host's list. */
  async prepare({ config }: PrepareRequest): Promise<LxcAssets> {
    const cpus = onlineCpus();
    if (config.vcpus > cpus.length) {
      throw new SandboxError('VSB_USAGE', `--vcpus ${config.vcpus}: this host has ${cpus.length} CPU${cpus.length === 1 ? '' : 's'} for containers`);
    }
    return { cpuset: cpusetFor(config.name, config.vcpus, cpus) };
  }

  attachDisks(config: SandboxConfig): Promise<AttachedDisks> {
    return attachLoopDisks(config);
  }

  started(domain: LibvirtDomain): Promise<StartedSandbox> {
    return containerHostSide(domain.name);
  }
  /** console0, the container's /dev/console: the init's log (`--debug`). */
  readonly logConsole = 'console0';

  claims(uri: string): boolean {
    return uriDriver(uri) === 'lxc';
  }

  build(ctx: BuildContext<LxcAssets>, draft: DomainDraft): void {
    const { config } = ctx;
    if (config.networks.some((n) => n.user)) {
      throw new SandboxError(
        'VSB_BAD_NETWORK',
        `--network user: user-mode networking is for VMs (-c qemu:///system); a container uses a libvirt network: -N source=NET,dhcp`,
      );
    }
    const qcow2 = config.disks.find((d) => d.format === 'qcow2');
    if (qcow2) {
      throw new SandboxError(
        'VSB_BAD_DISK',
        `--disk file:${qcow2.tag}=...,format=qcow2: a container gets its disks through loop devices, raw images only (convert it: qemu-img convert -O raw)`,
      );
    }
    // A container runs the host's kernel: these would be ignored, and the user would think otherwise.
    if (config.kernel)
      throw new SandboxError(
        'VSB_USAGE',
        "--kernver, --kernpath and --kmodpath choose the kernel of a VM sandbox (-c qemu:///system); an LXC container runs the host's kernel",
      );
    draft.type = 'lxc';
    draft.name = config.name;
    draft.memoryKiB = Math.ceil(config.memoryBytes / 1024);
    draft.vcpus = config.vcpus;
    // A cpuset is what the container's processes see as their CPUs (`nproc`); without one, all the host's.
    draft.vcpuCpuset = ctx.assets?.cpuset;
    draft.os = {
      type: { '@_arch': libvirtArch(), '#text': 'exe' },
      init: path.join(ctx.guestConfigDir, GUEST_INIT_FILE),
      initarg: path.join(ctx.guestConfigDir, GUEST_CONFIG_FILE),
    };
    // Without <privnet/> and no interface, libvirt would share the host's network: never do that.
    if (config.networks.length === 0) draft.features.privnet = '';
    draft.lifecycle.push(['on_poweroff', 'destroy'], ['on_reboot', 'destroy'], ['on_crash', 'destroy']);
    draft.addDevice('filesystem', passthroughMount(config.root, '/', true));
    draft.addDevice('filesystem', passthroughMount(ctx.configDir, ctx.guestConfigDir, true));
    // libvirt_lxc moves a veth end into the container under the <guest> name; the init then sets it
    // up. The host end is named by vsb: libvirt 9.0 instantiates a <filterref> before it names the
    // veth itself, and fails with "filter binding has no port dev name".
    config.networks.forEach((_, i) =>
      draft.addDevice('interface', {
        ...interfaceElement(config, i),
        target: { '@_dev': hostVethName(config.name, i) },
        guest: { '@_dev': interfaceName(i) },
      }),
    );
    // Each --disk as its loop device, a node of the same path in the container (in a dry run the
    // device is not attached yet: the image stands in for it).
    config.disks.forEach((disk, i) => {
      const device = ctx.diskDevices?.[i] ?? disk.source;
      draft.addDevice('hostdev', { '@_mode': 'capabilities', '@_type': 'storage', source: { block: device } });
      draft.guestDisks.push({ tag: disk.tag, device });
    });
    // console0 is /dev/console in the container: the init's log.
    draft.addDevice('console', { '@_type': 'pty' });
  }

  /** `/run/libvirt/lxc/NAME.{dev,devpts,fuse,sock}` and the log libvirt_lxc writes. */
  hostLeftovers(config: SandboxConfig): HostLeftovers | undefined {
    return systemDriverLeftovers(config.uri, 'lxc', config.name);
  }

  /** The n-th `<console type='pty'/>` is libvirt's `console<n>` and the container's `/dev/tty<n+1>`. */
  addConsole(_ctx: BuildContext<LxcAssets>, draft: DomainDraft): ConsoleEndpoint {
    const index = draft.devicesOf('console').length;
    draft.addDevice('console', { '@_type': 'pty' });
    return { devname: `console${index}`, guestPath: `/dev/tty${index + 1}` };
  }
}

/** The host end of a sandbox's n-th veth: `vsbv` + 8 hex digits of its name's hash + n (at most 15 bytes, an interface name's limit). */
export function hostVethName(name: string, index: number): string {
  return `vsbv${createHash('sha256').update(name).digest('hex').slice(0, 8)}${index}`;
}
