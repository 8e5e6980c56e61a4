import { SandboxError } from '@vsb/core';
import { printError } from '../error-report';
import { rawArgv } from '../raw-argv';
import { runAttach } from './attach-client';
import { EXEC_FLAGS } from './exec-flags';
import { runExec } from './exec-client';
import { parseLeanArgs } from './lean-args';

/** The commands bin/run.js runs from the small bundle dist/vsb-exec.js, without oclif. */
export const LEAN_COMMANDS = ['exec', 'attach'] as const;

/**
 * Runs `vsb exec` or `vsb attach` with `args` (what follows the command's name, lossless text) and
 * resolves with vsb's exit code; an error is printed as every vsb error is, in one line.
 */
export async function runLean(command: (typeof LEAN_COMMANDS)[number], args: readonly string[]): Promise<number> {
  try {
    const parsed = parseLeanArgs(args, command === 'exec' ? EXEC_FLAGS : [], command, command === 'exec');
    return await (command === 'exec' ? runExec(parsed) : runAttach(parsed));
  } catch (err) {
    return printError(err instanceof Error ? err : new Error(String(err)), SandboxError, command);
  }
}

/**
 * bin/run.js's entry into dist/vsb-exec.js: these commands start in about the time of Node itself
 * (oclif and vsb's plugin registry cost more than an exec may take in all). Their oclif classes
 * stay, for help, man pages and completion.
 */
export function main(): Promise<number> {
  const argv = rawArgv();
  return runLean(argv[2] as (typeof LEAN_COMMANDS)[number], argv.slice(3));
}
