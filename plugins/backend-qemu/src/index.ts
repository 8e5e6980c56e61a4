import { definePlugin, SandboxBackend } from '@vsb/core';
import { QemuBackend } from './qemu-backend';

export { QemuBackend } from './qemu-backend';
export type { QemuAssets } from './qemu-assets';
export { hostCpu } from './host-cpu';

/** The QEMU backend (qemu:///system, qemu:///session, remote qemu URIs); its mounts are @vsb/vm-boot's `vmMountsPlugin`. */
export const qemuPlugin = definePlugin({
  id: 'backend-qemu',
  register(container) {
    container.register(SandboxBackend, { useFactory: () => new QemuBackend() });
  },
});
