/** How the guest kernel reaches 9p shares: virtio (QEMU) or Xen's own rings (libxl's p9 devices). */
export type NinePTransport = 'virtio' | 'xen';

/**
 * The two 9p shares a VM sandbox boots from, as its backend exports them: the host root (or
 * `--root`, read-only) and the config dir (guest init and config), by tag, and their transport.
 * Stage 1 hard-codes none of it: {@link bootCmdline} hands it over on the kernel command line.
 */
export interface VmBootShares {
  readonly rootTag: string;
  readonly configTag: string;
  readonly transport: NinePTransport;
}

/** The tags vsb's VM backends give the root and config shares; the VM mapper tags its own `sandbox:mountN`. */
export const VSB_SHARE_TAGS = { rootTag: 'sandbox:root', configTag: 'sandbox:config' } as const;
