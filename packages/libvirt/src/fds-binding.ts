import * as path from 'node:path';

/** The descriptor-passing addon's exports (native/fds-addon.cc). */
export interface FdsBinding {
  /** One sendmsg() of `data` on a unix socket with `fds` attached (SCM_RIGHTS); bytes sent. Throws with `errno`. */
  sendFds(socketFd: number, data: Uint8Array, fds: readonly number[]): number;
  /** Waits for the socket, then one recvmsg() of at most `maxBytes` with the descriptors that came along; `cancel` rejects it (ECANCELED). */
  recvFds(socketFd: number, maxBytes: number, timeoutMs: number): { promise: Promise<{ data: Buffer; fds: number[] }>; cancel(): void };
}

let binding: FdsBinding | undefined;

/**
 * Loads vsb_fds.node on first use: a small addon of its own, without libvirt, so a process that
 * only passes descriptors (`vsb exec`) does not pay for loading libvirt.
 */
export function loadFdsBinding(): FdsBinding {
  if (binding === undefined) {
    // From the package's root, not __dirname: the CLI may run this file bundled into its own.
    const file = path.join(path.dirname(require.resolve('@vsb/libvirt/package.json')), 'build', 'Release', 'vsb_fds.node');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      binding = require(file) as FdsBinding;
    } catch (e) {
      throw new Error(`@vsb/libvirt: cannot load the native addon ${file} (run \`npm run build\`): ${(e as Error).message}`);
    }
  }
  return binding;
}
