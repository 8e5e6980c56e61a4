import type { IncludeSpec } from '../sandbox-config';
import { checkHostPath } from './check-host-path';
import { optionError, type OptionError } from './option-error';
import { parseGuestPath } from './parse-guest-path';

/**
 * Parses `--include GUEST[=HOST]`: copy the host file or directory HOST (default: GUEST itself)
 * to GUEST inside the sandbox, which must lie in a mount ({@link checkIncludes}). GUEST ends at
 * the first `=` (so it cannot hold `=`); HOST is the rest. GUEST is normalised like a mount target;
 * HOST must be absolute. The original parsed this and never copied anything; vsb does copy.
 */
export function parseInclude(text: string): IncludeSpec {
  return parseIncludeEntry(text, optionError('VSB_BAD_INCLUDE', '--include', text));
}

/** {@link parseInclude} reporting through `bad`, shared with `--includefile` lines. */
export function parseIncludeEntry(text: string, bad: OptionError): IncludeSpec {
  const eq = text.indexOf('=');
  const guest = parseGuestPath(eq < 0 ? text : text.slice(0, eq), 'guest path', bad);
  if (eq < 0) return { guest, host: guest };
  const host = text.slice(eq + 1);
  if (host === '') throw bad(`missing host path after '=' (leave out '=' to copy the same path from the host)`);
  return { guest, host: checkHostPath(host, 'host path', bad) };
}
