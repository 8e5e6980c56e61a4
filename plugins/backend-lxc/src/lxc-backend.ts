import type { BackendAssets, BuildContext, ConsoleEndpoint, DomainDraft, LibvirtDomain, PrepareRequest, SandboxBackend, StartedSandbox } from '@vsb/core';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, libvirtArch, SandboxError, uriDriver } from '@vsb/core';
import path from 'node:path';
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
 * bound read-only, no network unless asked (`<privnet/>`), and console0 for the init's log. The
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

  started(domain: LibvirtDomain): Promise<StartedSandbox> {
    return containerHostSide(domain.name);
  }

  claims(uri: string): boolean {
    return uriDriver(uri) === 'lxc';
  }

  build(ctx: BuildContext<LxcAssets>, draft: DomainDraft): void {
    const { config } = ctx;
    // Without <privnet/> and no interface, libvirt would share the host's network: never do that
    // silently. Interfaces and extra disks are not built yet.
    if (config.networks.length > 0) throw new SandboxError('VSB_USAGE', '--network: the lxc backend does not support networks yet (sandboxes get loopback only)');
    if (config.disks.length > 0) throw new SandboxError('VSB_USAGE', '--disk: the lxc backend does not support extra disks yet (use --mount host-image:DST=FILE)');
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
    if (config.networks.length === 0) draft.features.privnet = '';
    draft.lifecycle.push(['on_poweroff', 'destroy'], ['on_reboot', 'destroy'], ['on_crash', 'destroy']);
    draft.addDevice('filesystem', passthroughMount(config.root, '/', true));
    draft.addDevice('filesystem', passthroughMount(ctx.configDir, ctx.guestConfigDir, true));
    // console0 is /dev/console in the container: the init's log.
    draft.addDevice('console', { '@_type': 'pty' });
  }

  /** The n-th `<console type='pty'/>` is libvirt's `console<n>` and the container's `/dev/tty<n+1>`. */
  addConsole(_ctx: BuildContext<LxcAssets>, draft: DomainDraft): ConsoleEndpoint {
    const index = draft.devicesOf('console').length;
    draft.addDevice('console', { '@_type': 'pty' });
    return { devname: `console${index}`, guestPath: `/dev/tty${index + 1}` };
  }
}
