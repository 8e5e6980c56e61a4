import { definePlugin, FilesystemMapper, SandboxBackend } from '@vsb/core';
import { QemuBackend } from './qemu-backend';
import { QemuMountMapper } from './qemu-mount-mapper';

export { QemuBackend } from './qemu-backend';
export { QemuMountMapper } from './qemu-mount-mapper';
export type { QemuAssets } from './qemu-assets';
export { chooseKernel, installedKernels } from './choose-kernel';
export type { KernelChoice } from './choose-kernel';
export { hostCpu } from './host-cpu';
export { cacheRoot } from './cache-file';
export { prepareBoot } from './prepare-boot';

/** The QEMU backend (qemu:///system, qemu:///session, remote qemu URIs) and its mount mapper. */
export const qemuPlugin = definePlugin({
  id: 'backend-qemu',
  register(container) {
    container.register(SandboxBackend, { useFactory: () => new QemuBackend() });
    container.register(FilesystemMapper, { useFactory: () => new QemuMountMapper() });
  },
});
