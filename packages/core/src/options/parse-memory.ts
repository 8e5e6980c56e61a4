import { optionError } from './option-error';
import { parseSize } from './parse-size';

/** Smallest `--memory` accepted: below this neither a kernel nor most apps start. */
export const MIN_MEMORY_BYTES = 16 * 1024 * 1024;

/**
 * Parses `--memory SIZE` (see {@link parseSize}; the 512M default is the caller's). The original had
 * a fixed 512 MiB; vsb lets it be chosen but refuses less than 16 MiB, which would only fail later
 * with an obscure libvirt or guest kernel error.
 */
export function parseMemory(text: string): number {
  const bytes = parseSize(text, '--memory');
  if (bytes < MIN_MEMORY_BYTES) throw optionError('VSB_BAD_SIZE', '--memory', text)('a sandbox needs at least 16M of memory');
  return bytes;
}
