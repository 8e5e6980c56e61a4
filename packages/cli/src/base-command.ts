import { Command, Errors } from '@oclif/core';
import { printError } from './error-report';

export { EXIT_USAGE, ReportedError, describeError, type ErrorReport } from './error-report';

/**
 * The one place that turns errors into what the user sees: a single `vsb: ...` line (plus
 * suggestions), exit 2 for usage errors, 1 for everything else. Nothing else prints errors.
 */
export abstract class BaseCommand extends Command {
  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<void> {
    if (err instanceof Errors.ExitError) throw err;
    // Loaded only on an error: `vsb --help` needs none of @vsb/core.
    const { SandboxError } = await import('@vsb/core');
    process.exitCode = printError(err, SandboxError, this.id ?? 'run');
  }
}
