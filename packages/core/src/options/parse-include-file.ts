import type { IncludeSpec } from '../sandbox-config';
import { optionError, quoteValue } from './option-error';
import { parseIncludeEntry } from './parse-include';

/**
 * Parses the content of an `--includefile`: one `GUEST[=HOST]` per line, as {@link parseInclude}.
 * Lines are trimmed (so paths cannot begin or end with blanks there; use `--include`), blank lines
 * and lines starting with `#` are skipped (a `#` elsewhere is part of the path), CRLF is accepted.
 * `file` names the file in messages: `--includefile 'FILE' line N 'TEXT': PROBLEM`.
 */
export function parseIncludeFile(content: string, file?: string): IncludeSpec[] {
  const where = file === undefined ? '--includefile' : `--includefile ${quoteValue(file)}`;
  const includes: IncludeSpec[] = [];
  content.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    includes.push(parseIncludeEntry(line, optionError('VSB_BAD_INCLUDE', `${where} line ${i + 1}`, line)));
  });
  return includes;
}
