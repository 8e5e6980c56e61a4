// A third-party backend written as an outside package would be: plain CommonJS, only @vsb/core's
// public API, registered through definePlugin. It emits a Xen paravirtualised domain.
'use strict';
const path = require('node:path');
const { definePlugin, SandboxBackend, uriDriver, GUEST_CONFIG_FILE } = require('@vsb/core');

class XenStubBackend {
  constructor() {
    this.id = 'xen';
  }

  claims(uri) {
    return uriDriver(uri) === 'xen';
  }

  build(ctx, draft) {
    draft.type = 'xen';
    draft.name = ctx.config.name;
    draft.memoryKiB = Math.ceil(ctx.config.memoryBytes / 1024);
    draft.vcpus = ctx.config.vcpus;
    draft.os = {
      type: { '@_arch': 'x86_64', '@_machine': 'xenpv', '#text': 'linux' },
      kernel: '/boot/vmlinuz',
      cmdline: `console=hvc0 vsb.conf=${path.join(ctx.guestConfigDir, GUEST_CONFIG_FILE)}`,
    };
    draft.addDevice('filesystem', {
      '@_type': 'mount', '@_accessmode': 'passthrough',
      source: { '@_dir': ctx.config.root }, target: { '@_dir': 'sandbox:root' }, readonly: '',
    });
    draft.addDevice('console', { '@_type': 'pty', target: { '@_type': 'xen', '@_port': 0 } });
  }

  addConsole(_ctx, draft) {
    const port = draft.devicesOf('console').length;
    draft.addDevice('console', { '@_type': 'pty', target: { '@_type': 'xen', '@_port': port } });
    return { devname: `console${port}`, guestPath: `/dev/hvc${port}` };
  }
}

exports.xenStubPlugin = definePlugin({
  id: 'xen-stub',
  register(container) {
    container.register(SandboxBackend, { useFactory: () => new XenStubBackend() });
  },
});
