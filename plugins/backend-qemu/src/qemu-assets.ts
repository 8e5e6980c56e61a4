import type { VmBootAssets } from '@vsb/vm-boot';

/** What the QEMU backend's prepare step found and made on the host; its `build` only reads these. */
export interface QemuAssets extends VmBootAssets {
  /** The local TSC frequency (local URIs; a remote host's is libvirt's to say): a TCG guest's TSC runs at the host's rate, and calibrating it under emulation can hang the boot. */
  readonly tscKhz?: number;
  /** false when the local CPU cannot run KVM guests even though libvirt offers KVM; undefined for remote hosts. */
  readonly kvmUsable?: boolean;
  /** uid of the vsb process: root's sandboxes run QEMU as a per-sandbox uid (the backend's `defaultSecurity`). */
  readonly callerUid: number;
}
