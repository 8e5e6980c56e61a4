import type { DiskSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from './option-error';

/**
 * Checks the `--disk` list as a whole: a tag used twice is refused, since `/dev/disk/by-tag/TAG`
 * can name only one disk. Disks are numbered from 1 in messages.
 */
export function checkDisks(disks: readonly DiskSpec[]): void {
  const seen = new Map<string, number>();
  disks.forEach((disk, i) => {
    const first = seen.get(disk.tag);
    if (first !== undefined) {
      throw new SandboxError('VSB_BAD_DISK', `--disk: tag ${quoteValue(disk.tag)} is used twice (disks ${first + 1} and ${i + 1}); each tag names one disk`);
    }
    seen.set(disk.tag, i);
  });
}
