import type { SandboxError as SandboxErrorClass } from '@vsb/core';

/** Exit code of usage errors (bad flags), as the shells and the original tool use. */
export const EXIT_USAGE = 2;

/** What the user sees of an error: its one line, the lines of advice under it, the exit code. */
export interface ErrorReport {
  readonly line: string;
  readonly suggestions: readonly string[];
  readonly code: number;
}

/**
 * An error another vsb process already described ({@link describeError}): the keeper of a
 * `vsb run --detach`, whose failure to start its caller prints as if it were its own.
 */
export class ReportedError extends Error {
  constructor(readonly report: ErrorReport) {
    super(report.line);
    this.name = 'ReportedError';
  }
}

/** How `err` raised by `command` (`run`, `plugins:install` ...) is shown: BaseCommand's and `vsb exec`'s one place for it. */
export function describeError(err: Error & { oclif?: { exit?: number } }, SandboxError: typeof SandboxErrorClass, command: string): ErrorReport {
  if (err instanceof ReportedError) return err.report;
  if (err instanceof SandboxError) return { line: err.message, suggestions: err.suggestions, code: err.isUsage ? EXIT_USAGE : 1 };
  // oclif's own parse errors (unknown flag, missing value): one line, the first, with what it
  // introduces when it is a heading (`The following error occurred:`, `Parsing --time`).
  const first = oneLine(
    (err.message || String(err))
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  );
  const isParse = err.oclif?.exit === 2 || /Nonexistent flag|Unexpected argument|expects a value|Expected --|flag/i.test(first);
  return {
    line: first.replace(/^Error:\s*/, ''),
    suggestions: isParse ? [`see: vsb ${command.replace(/:/g, ' ')} --help`] : [],
    code: isParse ? EXIT_USAGE : 1,
  };
}

/** The first line of a message, joined with the next one when it only heads it. */
function oneLine([heading = 'error', detail]: readonly string[]): string {
  if (detail === undefined) return heading;
  if (/^The following errors? occurred:$/.test(heading)) return detail;
  const parsing = /^Parsing (--\S+)$/.exec(heading);
  if (parsing) return `${parsing[1]}: ${detail}`;
  // `Missing 1 required arg:` then `name  its description`.
  return heading.endsWith(':') ? `${heading} ${detail.split(/\s{2,}/)[0]}` : heading;
}

/** Prints `err` as {@link describeError} shows it (`vsb: LINE`, then its advice) and returns the exit code. */
export function printError(err: Error, SandboxError: typeof SandboxErrorClass, command: string): number {
  const { line, suggestions, code } = describeError(err, SandboxError, command);
  process.stderr.write(`vsb: ${line}\n`);
  for (const s of suggestions) process.stderr.write(`  ${s}\n`);
  return code;
}
