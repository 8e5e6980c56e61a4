import fs from 'node:fs';
import { decodeLossless } from '@vsb/core';
import { splitNul } from './raw-argv';

/**
 * The caller's environment as the kernel holds it (/proc/self/environ), decoded losslessly like
 * the arguments (raw-argv): `-e NAME` and the locale passed by default must reach the app with
 * the caller's bytes, not Node's U+FFFD for those that are not UTF-8. Falls back to `process.env`.
 */
export function rawEnv(): Record<string, string> {
  let data: Buffer;
  try {
    data = fs.readFileSync('/proc/self/environ');
  } catch {
    return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  }
  const env: Record<string, string> = {};
  for (const entry of splitNul(data).map(decodeLossless)) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/**
 * The caller's locale and time zone, passed to every app by default (`LANG`, `LC_*`, `TZ`): without
 * them `printf 'é\n' | vsb run -- wc -m` counted bytes (3) where the host counts characters (2).
 */
export function defaultEnv(env: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(env)
    .filter(([k]) => k === 'LANG' || k === 'TZ' || /^LC_[A-Z]+$/.test(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
