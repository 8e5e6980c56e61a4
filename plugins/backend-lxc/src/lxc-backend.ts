import type { BuildContext, ConsoleEndpoint, DomainDraft, HostLeftovers, SandboxBackend, SandboxConfig } from '@vsb/core';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, libvirtArch, SandboxError, systemDriverLeftovers, uriDriver } from '@vsb/core';
import path from 'node:path';
import { passthroughMount } from './passthrough-mount';

/**
 * Sandboxes as libvirt LXC containers (`<domain type='lxc'>`), as the original's BuilderContainer:
 * the guest init as `<init>`, the host root (or `--root`) bound read-only at `/`, the config dir
 * bound read-only, no network unless asked (`<privnet/>`), and console0 for the init's log.
 */
export class LxcBackend implements SandboxBackend {
  readonly id = 'lxc';
  /** console0, the container's /dev/console: the init's log (`--debug`). */
  readonly logConsole = 'console0';

  claims(uri: string): boolean {
    return uriDriver(uri) === 'lxc';
  }

  build(ctx: BuildContext, draft: DomainDraft): void {
    const { config } = ctx;
    // Without <privnet/> and no interface, libvirt would share the host's network: never do that
    // silently. Interfaces and extra disks are not built yet.
    if (config.networks.length > 0) throw new SandboxError('VSB_USAGE', '--network: the lxc backend does not support networks yet (sandboxes get loopback only)');
    if (config.disks.length > 0) throw new SandboxError('VSB_USAGE', '--disk: the lxc backend does not support extra disks yet (use --mount host-image:DST=FILE)');
    // A container runs the host's kernel: these would be ignored, and the user would think otherwise.
    if (config.kernel) throw new SandboxError('VSB_USAGE', '--kernver, --kernpath and --kmodpath choose the kernel of a VM sandbox (-c qemu:///system); an LXC container runs the host\'s kernel');
    draft.type = 'lxc';
    draft.name = config.name;
    draft.memoryKiB = Math.ceil(config.memoryBytes / 1024);
    draft.vcpus = config.vcpus;
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

  /** `/run/libvirt/lxc/NAME.{dev,devpts,fuse,sock}` and the log libvirt_lxc writes. */
  hostLeftovers(config: SandboxConfig): HostLeftovers | undefined {
    return systemDriverLeftovers(config.uri, 'lxc', config.name);
  }

  /** The n-th `<console type='pty'/>` is libvirt's `console<n>` and the container's `/dev/tty<n+1>`. */
  addConsole(_ctx: BuildContext, draft: DomainDraft): ConsoleEndpoint {
    const index = draft.devicesOf('console').length;
    draft.addDevice('console', { '@_type': 'pty' });
    return { devname: `console${index}`, guestPath: `/dev/tty${index + 1}` };
  }
}
