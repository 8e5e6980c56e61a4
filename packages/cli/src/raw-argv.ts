import fs from 'node:fs';
import { decodeLossless, encodeLossless } from '@vsb/core';

/**
 * `process.argv` with vsb's own arguments decoded losslessly (lossless-text) from the bytes the
 * kernel holds in /proc/self/cmdline: Node turns bytes that are not UTF-8 into U+FFFD, so an app's
 * argument or a `-e` value like `$'\xff'` would reach the sandbox changed. Falls back to
 * `process.argv` when the two do not line up (another launcher, no /proc).
 */
export function rawArgv(argv: readonly string[] = process.argv): string[] {
  const given = argv.slice(2);
  if (given.length === 0) return [...argv];
  let raw: string[];
  try {
    raw = splitNul(fs.readFileSync('/proc/self/cmdline')).slice(-given.length).map(decodeLossless);
  } catch {
    return [...argv];
  }
  // What Node made of the same bytes must be what it gave us.
  const same = raw.length === given.length && raw.every((arg, i) => encodeLossless(arg).toString('utf8') === given[i]);
  return same ? [...argv.slice(0, 2), ...raw] : [...argv];
}

/** The NUL-terminated strings of /proc/self/cmdline or /proc/self/environ. */
export function splitNul(data: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let end = data.indexOf(0); end >= 0; end = data.indexOf(0, start)) {
    parts.push(data.subarray(start, end));
    start = end + 1;
  }
  return parts;
}
