import type { DependencyContainer } from 'tsyringe';
import type { SandboxConfig, SandboxContext } from '@vsb/core';
import { exitCodeOf } from '../exit-code';
import { formatMiB } from '../format-mib';
import { openRecorder } from '../record/open-recorder';
import type { RunFlags } from '../run-flags';
import { startedLines, timingLine } from '../start-lines';
import { RunSession } from './run-session';
import { showProgress } from './show-progress';

/** What a foreground run needs besides its config and flags. */
export interface AttachedRunOptions {
  readonly context: SandboxContext;
  readonly container: DependencyContainer;
  readonly initPath: string;
  readonly notify: (line: string) => void;
}

/**
 * `vsb run` in the foreground (neither --detach nor --dry-run): starts the sandbox on this
 * process's stdio within a {@link RunSession}, writes the --record object however the run ends,
 * and resolves with vsb's exit code (the app's, or 128+N for a signal).
 */
export async function runAttached(config: SandboxConfig, flags: RunFlags, options: AttachedRunOptions): Promise<number> {
  // Times since the process started (performance's origin), so the CLI's own load shows as 'cli'.
  const timing = flags.debug || process.env.VSB_TIMING ? (step: string) => process.stderr.write(timingLine(Math.round(performance.now()), step)) : undefined;
  const recorder = openRecorder(flags, config, options.container);
  const mark = recorder
    ? (step: string) => {
        timing?.(step);
        recorder.mark(step);
      }
    : timing;
  mark?.('cli');
  const session = new RunSession(config.tty);
  try {
    session.open();
    const running = await options.context.start(config, {
      initPath: options.initPath,
      stdio: { stdin: session.stdin, stdout: process.stdout, stderr: process.stderr },
      rows: process.stdout.rows,
      cols: process.stdout.columns,
      term: process.env.TERM,
      mark,
      notify: options.notify,
      verbose: flags.verbose,
      progress: process.stderr.isTTY ? showProgress : undefined,
    });
    recorder?.started(running);
    for (const line of startedLines(config, running, flags)) process.stderr.write(line);
    session.attach(running);
    const status = await session.wait(running);
    mark?.('exit');
    if (status.outOfMemory) process.stderr.write(`vsb: the command was killed: out of memory (limit ${formatMiB(config.memoryBytes)}, --memory)\n`);
    recorder?.finish({ status, received: session.received });
    // No running.close(): see its doc; this process ends now and the kernel closes the connection.
    return exitCodeOf(status, session.received);
  } catch (err) {
    recorder?.finish({ error: err, received: session.received });
    throw err;
  } finally {
    session.close();
  }
}
