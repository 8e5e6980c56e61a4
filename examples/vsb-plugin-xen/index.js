// A vsb backend for Xen through libvirt's libxl driver (xen:///): a PVH guest booting the host's
// kernel directly with vsb's initrd, the root and config dir as 9p shares over Xen's transport
// (libxl's p9 devices), the init's log on the Xen console. Mounts come from vsb's VM mapper (kind 'vm').
'use strict';
const { contribute, definePlugin, uriDriver, xml } = require('@vsb/core');
const { bootCmdline, prepareBoot, VSB_SHARE_TAGS } = require('@vsb/vm-boot');

// vsb's share tags over 9pnet_xen: prepareBoot puts it in the initrd, bootCmdline tells stage 1.
const SHARES = { ...VSB_SHARE_TAGS, transport: 'xen' };

/** A 9p share as libxl exports it (security model "none" = passthrough). */
function share(dir, tag) {
  return xml({ type: 'mount', accessmode: 'passthrough' }, { source: xml({ dir }), target: xml({ dir: tag }), readonly: '' });
}

/** A Xen PV console: `console<port>` on the host, `/dev/hvc<port>` in the guest. */
function xenConsole(port) {
  return xml({ type: 'pty' }, { target: xml({ type: 'xen', port }) });
}

class XenBackend {
  id = 'xen';
  kind = 'vm';
  logConsole = 'console0';

  claims(uri) {
    return uriDriver(uri) === 'xen';
  }

  /** The host kernel as a vmlinux (PVH boots its ELF entry) and vsb's initrd, as for QEMU. */
  prepare(request) {
    return prepareBoot(request, SHARES);
  }

  build(ctx, draft) {
    const { config, assets } = ctx;
    draft.type = 'xen';
    draft.name = config.name;
    draft.memoryKiB = Math.ceil(config.memoryBytes / 1024);
    draft.vcpus = config.vcpus;
    draft.os = {
      type: xml({ arch: 'x86_64', machine: 'xenpvh' }, 'xenpvh'),
      kernel: ctx.hostFile(assets.kernel),
      initrd: ctx.hostFile(assets.initrd),
      cmdline: bootCmdline(['console=hvc0', 'panic=-1', config.debug ? 'loglevel=7' : 'quiet'], SHARES),
    };
    draft.lifecycle.push(['on_poweroff', 'destroy'], ['on_reboot', 'destroy'], ['on_crash', 'destroy']);
    draft.addDevice('filesystem', share(config.root, SHARES.rootTag));
    draft.addDevice('filesystem', share(ctx.configDir, SHARES.configTag));
    draft.addDevice('console', xenConsole(0));
  }

  addConsole(_ctx, draft) {
    const port = draft.devicesOf('console').length;
    draft.addDevice('console', xenConsole(port));
    return { devname: `console${port}`, guestPath: `/dev/hvc${port}` };
  }
}

exports.xenPlugin = definePlugin({
  id: 'xen',
  register(container) {
    contribute(container, { backends: [() => new XenBackend()] });
  },
});
