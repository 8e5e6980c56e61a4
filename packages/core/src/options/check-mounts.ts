import type { MountSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from './option-error';

/**
 * Checks the `--mount` list as a whole: two mounts on one target are refused (the original
 * mounted both, the second silently hiding the first). Mounts are numbered from 1 in messages.
 */
export function checkMounts(mounts: readonly MountSpec[]): void {
  const seen = new Map<string, number>();
  mounts.forEach((mount, i) => {
    const first = seen.get(mount.target);
    if (first !== undefined) {
      throw new SandboxError('VSB_BAD_MOUNT',
        `--mount: target ${quoteValue(mount.target)} is used twice (mounts ${first + 1} and ${i + 1}); each target can be mounted only once`);
    }
    seen.set(mount.target, i);
  });
}
