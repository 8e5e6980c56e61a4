import type { Stats } from 'node:fs';

/**
 * What an lstat found, in words for a message, or undefined for what vsb copies (a regular file,
 * a directory, a symlink): copying `/dev/zero` never ends (4 GB of memory in 12 s) and a FIFO
 * blocks, so includes take nothing else.
 */
export function uncopyableKind(st: Stats): string | undefined {
  if (st.isFile() || st.isDirectory() || st.isSymbolicLink()) return undefined;
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
