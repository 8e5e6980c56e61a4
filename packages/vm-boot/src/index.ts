import { contribute, definePlugin } from '@vsb/core';
import { VmMountMapper } from './vm-mount-mapper';

export { prepareBoot } from './prepare-boot';
export type { VmDrivers } from './prepare-boot';
export type { VmBootAssets } from './vm-boot-assets';
export { VSB_SHARE_TAGS } from './vm-boot-shares';
export type { NinePTransport, VmBootShares } from './vm-boot-shares';
export { bootCmdline } from './boot-cmdline';
export { chooseKernel, installedKernels } from './choose-kernel';
export type { KernelChoice } from './choose-kernel';
export { cacheRoot } from './cache-file';
export { ninePShare } from './nine-p-share';
export { withVirtioAddress } from './virtio-address';
export { virtioDisk } from './virtio-disk';

/** The mapper of every backend of kind `vm` (QEMU's, a third-party one's): 9p shares and virtio disks. */
export const vmMountsPlugin = definePlugin({
  id: 'vm-mounts',
  register(container) {
    contribute(container, { mappers: [() => new VmMountMapper()] });
  },
});
