import { execute } from '@oclif/core';
import { AUTOCOMPLETE_COMMANDS } from './autocomplete-commands';
import Attach from './commands/attach';
import Doctor from './commands/doctor';
import Exec from './commands/exec';
import Keeper from './commands/keeper';
import Logs from './commands/logs';
import Ps from './commands/ps';
import Run from './commands/run';
import Stop from './commands/stop';
import { EXIT_USAGE } from './base-command';
import { normalizeArgv } from './normalize-argv';
import { rawArgv } from './raw-argv';
import { PLUGIN_COMMANDS } from './plugin-commands';

/**
 * The commands, for oclif's explicit command strategy (package.json `oclif.commands`): oclif takes
 * them from the bundle it is already running in, instead of scanning a directory or reading a manifest.
 */
export const COMMANDS = {
  attach: Attach,
  doctor: Doctor,
  exec: Exec,
  keeper: Keeper,
  logs: Logs,
  ps: Ps,
  run: Run,
  stop: Stop,
  ...AUTOCOMPLETE_COMMANDS,
  ...PLUGIN_COMMANDS,
};

/** Runs the CLI on `process.argv`; bin/run.js calls it on the bundle (dist/vsb.js). */
export async function main(): Promise<unknown> {
  const argv = rawArgv();
  try {
    process.argv = [...argv.slice(0, 2), ...normalizeArgv(argv.slice(2), Run.flags)];
  } catch (err) {
    // The same one line and exit code as every usage error (base-command).
    process.stderr.write(`vsb: ${(err as Error).message}\n`);
    process.exitCode = EXIT_USAGE;
    return undefined;
  }
  return execute({ dir: __dirname });
}
