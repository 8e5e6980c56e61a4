import type { MountSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { firstRepeat } from './first-repeat';
import { quoteValue } from './option-error';

/**
 * Checks the `--mount` list as a whole: two mounts on one target are refused (the original
 * mounted both, the second silently hiding the first). Mounts are numbered from 1 in messages.
 */
export function checkMounts(mounts: readonly MountSpec[]): void {
  const repeat = firstRepeat(mounts, (m) => m.target);
  if (repeat) {
    throw new SandboxError(
      'VSB_BAD_MOUNT',
      `--mount: target ${quoteValue(repeat.key)} is used twice (mounts ${repeat.first + 1} and ${repeat.again + 1}); each target can be mounted only once`,
    );
  }
}
