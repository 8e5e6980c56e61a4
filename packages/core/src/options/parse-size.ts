import type { SandboxErrorCode } from '../sandbox-error';
import { optionError, quoteValue } from './option-error';

const KIB = 1024n;
/** Multiplier of each accepted suffix: binary multiples, as the original (`K` = `KiB` = 1024). */
const UNITS: Readonly<Record<string, bigint>> = {
  '': 1n,
  B: 1n,
  K: KIB,
  k: KIB,
  KiB: KIB,
  M: KIB ** 2n,
  m: KIB ** 2n,
  MiB: KIB ** 2n,
  G: KIB ** 3n,
  g: KIB ** 3n,
  GiB: KIB ** 3n,
  T: KIB ** 4n,
  t: KIB ** 4n,
  TiB: KIB ** 4n,
};
/** Suffixes used to suggest a whole number for a fractional size, largest first. */
const SUGGEST = [
  ['T', KIB ** 4n],
  ['G', KIB ** 3n],
  ['M', KIB ** 2n],
  ['K', KIB],
] as const;
const CODE: SandboxErrorCode = 'VSB_BAD_SIZE';

/**
 * Parses a size in bytes: a whole number with an optional binary suffix, `B` (bytes), `K`/`k`/`KiB`,
 * `M`/`m`/`MiB`, `G`/`g`/`GiB`, `T`/`t`/`TiB` (all powers of 1024, as the original). Fixes the
 * original's quirks: it overflowed at 2 GiB (here anything up to `Number.MAX_SAFE_INTEGER` bytes is
 * exact, above is an error), and it read an unknown suffix as bytes (here it is an error naming the
 * suffix; `KB`/`MB`/`GB`/`TB` are refused as ambiguous). Fractions are refused with a whole-number
 * equivalent when there is one (`1.5G`: use `1536M`). 0 is returned as is: callers set minimums.
 * Errors carry `VSB_BAD_SIZE` and quote `value`, the whole option value (e.g. `ram:/tmp=12Q`).
 */
export function parseSize(text: string, flag: string, value: string = text): number {
  const bad = optionError(CODE, flag, value);
  if (text === '') throw bad('missing size (e.g. 64M or 2GiB)');
  const match = /^(\d+)(?:\.(\d+))?(.*)$/s.exec(text);
  if (!match) throw bad(`size ${quoteValue(text)} is not a number (e.g. 64M or 2GiB)`);
  const [, whole, fraction, suffix] = match;
  const unit = UNITS[suffix];
  if (unit === undefined) {
    if (/^[KMGT]B$/i.test(suffix)) {
      throw bad(`ambiguous size suffix ${quoteValue(suffix)} (use ${suffix[0].toUpperCase()} or ${suffix[0].toUpperCase()}iB: sizes are binary multiples)`);
    }
    throw bad(`unknown size suffix ${quoteValue(suffix)} (use K, KiB, M, MiB, G, GiB, T or TiB)`);
  }
  if (fraction !== undefined) throw bad(`size ${quoteValue(text)} must be a whole number${wholeSuggestion(whole, fraction, unit)}`);
  const bytes = BigInt(whole) * unit;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw bad(`size ${quoteValue(text)} is too large (at most ${Number.MAX_SAFE_INTEGER} bytes, about 8 PiB)`);
  }
  return Number(bytes);
}

/** ` (use 1536M)` when `whole.fraction` units is a whole number of bytes, else a reminder. */
function wholeSuggestion(whole: string, fraction: string, unit: bigint): string {
  const scale = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * unit;
  if (scaled % scale !== 0n) return ' of bytes';
  const bytes = scaled / scale;
  const [suffix, size] = SUGGEST.find(([, s]) => bytes % s === 0n) ?? ['', 1n];
  return ` (use ${bytes / size}${suffix})`;
}
