import { Command, Errors } from '@oclif/core';

/** Exit code of usage errors (bad flags), as the shells and the original tool use. */
export const EXIT_USAGE = 2;

/**
 * The one place that turns errors into what the user sees: a single `vsb: ...` line (plus
 * suggestions), exit 2 for usage errors, 1 for everything else. Nothing else prints errors.
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (err instanceof Errors.ExitError) throw err;
    // Loaded only on an error: `vsb --help` needs none of @vsb/core.
    const { SandboxError } = await import('@vsb/core');
    const { line, suggestions, code } = describe(err, SandboxError, this.id ?? 'run');
    process.stderr.write(`vsb: ${line}\n`);
    for (const s of suggestions) process.stderr.write(`  ${s}\n`);
    process.exitCode = code;
  }
}

function describe(err: Error & { oclif?: { exit?: number } }, SandboxError: typeof import('@vsb/core').SandboxError, command: string): { line: string; suggestions: readonly string[]; code: number } {
  if (err instanceof SandboxError) return { line: err.message, suggestions: err.suggestions, code: err.isUsage ? EXIT_USAGE : 1 };
  // oclif's own parse errors (unknown flag, missing value): keep their first line only.
  const first = (err.message || String(err)).split('\n').find((l) => l.trim() !== '')?.trim() ?? 'error';
  const isParse = err.oclif?.exit === 2 || /Nonexistent flag|Unexpected argument|expects a value|Expected --|flag/i.test(first);
  return { line: first.replace(/^Error:\s*/, ''), suggestions: isParse ? [`see: vsb ${command.replace(/:/g, ' ')} --help`] : [], code: isParse ? EXIT_USAGE : 1 };
}
