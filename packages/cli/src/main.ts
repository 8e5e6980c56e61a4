import { execute } from '@oclif/core';
import { AUTOCOMPLETE_COMMANDS } from './autocomplete-commands';
import Doctor from './commands/doctor';
import Run from './commands/run';
import { PLUGIN_COMMANDS } from './plugin-commands';

/**
 * The commands, for oclif's explicit command strategy (package.json `oclif.commands`): oclif takes
 * them from the bundle it is already running in, instead of scanning a directory or reading a manifest.
 */
export const COMMANDS = { doctor: Doctor, run: Run, ...AUTOCOMPLETE_COMMANDS, ...PLUGIN_COMMANDS };

/** Runs the CLI on `process.argv`; bin/run.js calls it on the bundle (dist/vsb.js). */
export function main(): Promise<unknown> {
  return execute({ dir: __dirname });
}
