import type { BackendAssets } from '@vsb/core';

/** What {@link prepareBoot} made on the host for a VM backend's `build`: the files its domain boots. */
export interface VmBootAssets extends BackendAssets {
  /** The uncompressed ELF vmlinux the hypervisor boots (QEMU's PVH entry, Xen PVH). */
  readonly kernel: string;
  /** The generated initrd (guest init + modules). */
  readonly initrd: string;
}
