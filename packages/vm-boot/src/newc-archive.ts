/** One member of a {@link newcArchive}: a directory, a regular file or a character device. */
export type NewcEntry =
  | { readonly type: 'dir'; readonly path: string; readonly mode?: number }
  | { readonly type: 'file'; readonly path: string; readonly data: Buffer; readonly mode?: number }
  | { readonly type: 'chr'; readonly path: string; readonly major: number; readonly minor: number; readonly mode?: number };

/** This module's file, for the initrd's cache name (see cacheFile's producers). */
export const NEWC_ARCHIVE_SOURCE = __filename;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

function member(name: string, mode: number, data: Buffer, ino: number, rdev: [number, number] = [0, 0]): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`);
  // newc: magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check.
  const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'latin1');
  return [header, nameBytes, pad4(header.length + nameBytes.length), data, pad4(data.length)];
}

/**
 * An uncompressed cpio archive in the "newc" format, the one the kernel unpacks as an initramfs.
 * Uncompressed because a TCG guest decompresses slowly and the archive is small. Owners are root and
 * mtimes 0, so the same inputs always give the same bytes.
 */
export function newcArchive(entries: readonly NewcEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const name = e.path.replace(/^\/+/, '');
    if (e.type === 'dir') parts.push(...member(name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0), i + 1));
    else if (e.type === 'file') parts.push(...member(name, S_IFREG | (e.mode ?? 0o644), e.data, i + 1));
    else parts.push(...member(name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), i + 1, [e.major, e.minor]));
  });
  parts.push(...member('TRAILER!!!', 0, Buffer.alloc(0), 0));
  return Buffer.concat(parts);
}
