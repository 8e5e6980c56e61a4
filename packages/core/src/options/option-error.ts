import { SandboxError, type SandboxErrorCode } from '../sandbox-error';

/** Builds the error for one problem with one option value (see {@link optionError}). */
export type OptionError = (problem: string) => SandboxError;

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', "'": "\\'" };

/** Longest value quoted whole: a 100 KB value would otherwise be one 100 KB error line. */
const QUOTE_MAX = 200;

/**
 * Quotes a user-supplied value for a message: single quotes, with `\`, `'`, control characters and
 * Unicode line separators escaped (`\n`, `\x00`, `\u2028`), so every message stays on one line and
 * shows exactly what was typed, even for env values holding newlines; bytes that are not UTF-8 show
 * as `\xNN`, and a value longer than 200 characters is shortened.
 */
export function quoteValue(value: string): string {
  if (value.length > QUOTE_MAX) return `${quoteValue(value.slice(0, QUOTE_MAX - 20).replace(/[\ud800-\udbff]$/, ''))}... (${value.length} characters)`;
  return `'${value.replace(/[\\'\x00-\x1f\x7f-\x9f\u2028\u2029]|(?<![\ud800-\udbff])[\udc80-\udcff]/g, (c) => ESCAPES[c] ?? escapeCode(c))}'`;
}

function escapeCode(c: string): string {
  const code = c.charCodeAt(0);
  // U+DC80..U+DCFF: a byte that is not UTF-8 (lossless-text), shown as the byte.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
  return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Returns a factory of one-line `SandboxError`s `FLAG 'VALUE': PROBLEM` for one option value, so
 * every parser names the long flag and quotes what the user typed (the original printed bare
 * "Unable to parse mount" without saying which or why). Use as `throw bad('...')`.
 */
export function optionError(code: SandboxErrorCode, flag: string, value: string): OptionError {
  return (problem) => new SandboxError(code, `${flag} ${quoteValue(value)}: ${problem}`);
}
