import type { PrepareRequest } from '@vsb/core';
import { buildInitrd } from './build-initrd';
import { cacheRoot, onceIn, removeStaleTemps } from './cache-file';
import { chooseKernel } from './choose-kernel';
import { extractVmlinux } from './extract-vmlinux';
import { modulesNeedSignatures } from './module-signatures';
import { resolveModules } from './resolve-modules';
import type { VmBootAssets } from './vm-boot-assets';
import type { NinePTransport } from './vm-boot-shares';

/** What a VM backend's guest kernel needs besides the 9p filesystem and the VM mapper's disks. */
export interface VmDrivers {
  /** The transport of the backend's 9p shares (its {@link VmBootShares}): its module goes into the initrd. */
  readonly transport: NinePTransport;
  /** Drivers of the backend's devices in this run (QEMU: virtio_console for its channel, virtio_net for `-N`). */
  readonly modules?: readonly string[];
  /** Drivers loaded when the kernel has them as modules and skipped when not (QEMU: the virtio transports of its two machines). */
  readonly optionalModules?: readonly string[];
}

/** The module of each 9p transport; 9p itself (the filesystem) is needed by all. */
const TRANSPORT_MODULES: Record<NinePTransport, string> = { virtio: '9pnet_virtio', xen: '9pnet_xen' };
/** For host-image mounts (the VM mapper's virtio disks) and `--disk`: virtio disks holding (most often) ext4. */
const DISK_MODULES = ['virtio_blk', 'ext4'];

/**
 * A VM backend's host-side step: picks the kernel, makes (or finds cached) its vmlinux and an
 * initrd with the modules this run needs: those of the shares' transport, of the disks, and the
 * backend's `drivers`. Stage 1 loads them all in dependency order.
 */
export async function prepareBoot({ config, initPath, notify, verbose }: PrepareRequest, drivers: VmDrivers): Promise<VmBootAssets> {
  const cacheDir = cacheRoot();
  const kernel = await chooseKernel(config.kernel, onceIn(cacheDir, notify, verbose));
  const wanted = [
    ...(drivers.modules ?? []),
    TRANSPORT_MODULES[drivers.transport],
    '9p',
    ...(config.mounts.some((m) => m.type === 'host-image') || config.disks.length > 0 ? DISK_MODULES : []),
  ];
  const [vmlinux, modules, signed] = await Promise.all([
    removeStaleTemps(cacheDir).then(() => extractVmlinux(kernel.image, kernel.version, cacheDir)),
    resolveModules(kernel.modules, wanted, drivers.optionalModules),
    modulesNeedSignatures(kernel.image, kernel.version),
  ]);
  return {
    kernel: vmlinux,
    initrd: await buildInitrd(initPath, kernel.modules, modules, cacheDir, !signed),
    startMessage: `booting kernel ${kernel.version}`,
  };
}
