import type { PrepareRequest } from '@vsb/core';
import { buildInitrd } from './build-initrd';
import { cacheRoot, onceIn, removeStaleTemps } from './cache-file';
import { chooseKernel } from './choose-kernel';
import { extractVmlinux } from './extract-vmlinux';
import { modulesNeedSignatures } from './module-signatures';
import { resolveModules } from './resolve-modules';
import type { VmBootAssets } from './vm-boot-assets';

/** Drivers every VM sandbox needs: the stdio console and the 9p root and config shares. */
const BASE_MODULES = ['virtio_console', '9pnet_virtio', '9p'];
/** The virtio transports of microvm (mmio) and q35 (pci): whichever the kernel has as modules. */
const TRANSPORT_MODULES = ['virtio_mmio', 'virtio_pci'];
/** For host-image mounts: virtio disks holding (most often) ext4. */
const DISK_MODULES = ['virtio_blk', 'ext4'];
/** Only with `-N`: the virtio network driver (its dependencies, net_failover and failover, come from modules.dep). */
const NETWORK_MODULES = ['virtio_net'];

/**
 * A VM backend's host-side step: picks the kernel, makes (or finds cached) its vmlinux and an
 * initrd with the modules this run needs.
 */
export async function prepareBoot({ config, initPath, notify, verbose }: PrepareRequest): Promise<VmBootAssets> {
  const cacheDir = cacheRoot();
  const kernel = await chooseKernel(config.kernel, onceIn(cacheDir, notify, verbose));
  const wanted = [
    ...BASE_MODULES,
    ...(config.mounts.some((m) => m.type === 'host-image') || config.disks.length > 0 ? DISK_MODULES : []),
    ...(config.networks.length > 0 ? NETWORK_MODULES : []),
  ];
  const [vmlinux, modules, signed] = await Promise.all([
    removeStaleTemps(cacheDir).then(() => extractVmlinux(kernel.image, kernel.version, cacheDir)),
    resolveModules(kernel.modules, wanted, TRANSPORT_MODULES),
    modulesNeedSignatures(kernel.image, kernel.version),
  ]);
  return {
    kernel: vmlinux,
    initrd: await buildInitrd(initPath, kernel.modules, modules, cacheDir, !signed),
    startMessage: `booting kernel ${kernel.version}`,
  };
}
