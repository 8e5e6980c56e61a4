import { execute } from '@oclif/core';
import Run from './commands/run';
import { rawArgv } from './raw-argv';

/**
 * The commands, for oclif's explicit command strategy (package.json `oclif.commands`): oclif takes
 * them from the bundle it is already running in, instead of scanning a directory or reading a manifest.
 */
export const COMMANDS = { run: Run };

/** Runs the CLI on `process.argv`; bin/run.js calls it on the bundle (dist/vsb.js). */
export function main(): Promise<unknown> {
  process.argv = rawArgv();
  return execute({ dir: __dirname });
}
