import { optionError } from './option-error';

/** Most vCPUs accepted: QEMU's largest machine limit; libvirt refuses more than the host allows. */
export const MAX_VCPUS = 4096;

/**
 * Parses `--vcpus N`: a plain decimal from 1 to {@link MAX_VCPUS} (no sign, no `0x`, no blanks:
 * `Number()` would accept all of those). The original had no such option (always one vCPU).
 */
export function parseVcpus(text: string): number {
  const n = /^\d{1,4}$/.test(text) ? Number(text) : 0;
  if (n < 1 || n > MAX_VCPUS) throw optionError('VSB_USAGE', '--vcpus', text)(`expected a whole number from 1 to ${MAX_VCPUS}`);
  return n;
}
