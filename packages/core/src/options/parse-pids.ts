import { optionError } from './option-error';

/** Default bound on a sandbox's processes and threads: a fork bomb stops there, a build does not. */
export const DEFAULT_PIDS = 4096;
/** Largest `--pids N` (the kernel's pid_max ceiling). */
export const MAX_PIDS = 4194304;

/**
 * Parses `--pids N|unlimited`: at most N processes (threads count) in the whole sandbox, or 0 for
 * no bound. New in vsb: the original had no bound, and a fork bomb took the host's process table.
 */
export function parsePids(text: string): number {
  if (text === 'unlimited') return 0;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : 0;
  if (n < 1 || n > MAX_PIDS) throw optionError('VSB_USAGE', '--pids', text)(`expected a whole number from 1 to ${MAX_PIDS}, or 'unlimited'`);
  return n;
}
