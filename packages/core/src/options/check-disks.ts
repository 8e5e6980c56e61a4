import type { DiskSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { firstRepeat } from './first-repeat';
import { quoteValue } from './option-error';

/**
 * Checks the `--disk` list as a whole: a tag used twice is refused, since `/dev/disk/by-tag/TAG`
 * can name only one disk. Disks are numbered from 1 in messages.
 */
export function checkDisks(disks: readonly DiskSpec[]): void {
  const repeat = firstRepeat(disks, (d) => d.tag);
  if (repeat) {
    throw new SandboxError(
      'VSB_BAD_DISK',
      `--disk: tag ${quoteValue(repeat.key)} is used twice (disks ${repeat.first + 1} and ${repeat.again + 1}); each tag names one disk`,
    );
  }
}
