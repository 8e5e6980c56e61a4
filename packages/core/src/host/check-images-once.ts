import fs from 'node:fs';
import type { DiskSpec, MountSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from '../options/option-error';

/**
 * Refuses one image file attached twice (two `host-image` mounts, or a `host-image` and a `--disk`):
 * two read-write mounts of one ext4 image each keep their own cache of it, and what one writes the
 * other overwrites (every write through the second mount was lost). Files are compared by device
 * and inode, so another path, a symlink or a hard link to the same image counts as the same; a
 * file that does not exist is compared by path and reported later by checkHostSources.
 */
export function checkImagesOnce(mounts: readonly MountSpec[], disks: readonly DiskSpec[]): void {
  const seen = new Map<string, string>();
  const uses = [
    ...mounts.flatMap((m) => (m.type === 'host-image' ? [{ file: m.source, origin: `--mount ${quoteValue(`host-image:${m.target}=${m.source}`)}` }] : [])),
    ...disks.map((d) => ({ file: d.source, origin: `--disk ${quoteValue(`${d.type}:${d.tag}=${d.source}`)}` })),
  ];
  for (const { file, origin } of uses) {
    const key = fileKey(file);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new SandboxError(
        'VSB_BAD_MOUNT',
        `${origin}: image ${quoteValue(file)} is already attached by ${first}; an image can be attached once (two mounts of one filesystem lose writes)`,
      );
    }
    seen.set(key, origin);
  }
}

function fileKey(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return `path:${file}`;
  }
}
