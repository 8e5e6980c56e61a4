import type { GuestMount } from './guest-config';
import type { MountSpec } from '../sandbox-config';

/** Directories every sandbox gets private and writable, as SELinux `sandbox` does for /tmp. */
export const PRIVATE_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run'] as const;

/**
 * A tmpfs (mode 1777, the kernel's default size) for each of {@link PRIVATE_DIRS} that no mount
 * covers (same target or one above it), so the app never writes into the host's copies and
 * nothing it leaves there survives the run. They come before the user's mounts, which may lie in them.
 */
export function privateDirMounts(mounts: readonly MountSpec[]): GuestMount[] {
  return PRIVATE_DIRS.filter((dir) => !mounts.some((m) => dir === m.target || dir.startsWith(`${m.target}/`))).map((target) => ({
    kind: 'tmpfs',
    source: '0',
    target,
    options: 'mode=1777',
  }));
}
