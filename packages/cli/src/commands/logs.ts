import { once } from 'node:events';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command';
import { SANDBOX_NAME_ARG } from '../keeper/sandbox-name-arg';
import { formatMiB } from '../format-mib';
import { LOG_BOUND_BYTES, LOG_FILE } from '../keeper/log-files';

/** `vsb logs NAME [-f]`: what the app of a detached sandbox wrote, as `podman logs` shows it. */
export default class Logs extends BaseCommand {
  static override summary = "Show the output of a detached sandbox's command";
  static override description = [
    'Writes what the command of the detached sandbox NAME wrote, from the oldest record its log still holds: its stdout to stdout and its stderr to stderr, byte for byte, in the order it wrote them.',
    `The log is bounded (${formatMiB(LOG_BOUND_BYTES)}, in two halves: when the newer half is full the older one is dropped), so a command that writes more keeps only its latest output. It goes with the sandbox: vsb stop, or the end of a command started without --keep, removes it.`,
    'With --follow it keeps writing what comes until the command has ended (or the sandbox is gone).',
  ].join('\n\n');

  static override examples = [
    { description: 'The output so far', command: '<%= config.bin %> logs web' },
    { description: 'Follow it until the command ends', command: '<%= config.bin %> logs -f web' },
  ];

  static override args = {
    name: SANDBOX_NAME_ARG,
  };

  static override flags = {
    follow: Flags.boolean({ char: 'f', summary: 'keep writing new output until the command has ended' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Logs);
    const { isAlive } = await import('@vsb/core');
    const { findDetached } = await import('../keeper/detached-sandbox');
    const { readKeeperMetadata } = await import('../keeper/keeper-metadata');
    const { readLog } = await import('../keeper/log-reader');
    const { stateDir } = findDetached(args.name);
    // A reader that went away (`vsb logs X | head`) ends this too, quietly.
    for (const out of [process.stdout, process.stderr]) out.on('error', () => process.exit(0));
    const ended = () => {
      const metadata = readKeeperMetadata(stateDir);
      return !metadata || metadata.state === 'exited' || !isAlive(metadata.pid);
    };
    await readLog(
      path.join(stateDir, LOG_FILE),
      async ({ stream, bytes }) => {
        const out = stream === 'stdout' ? process.stdout : process.stderr;
        if (!out.write(bytes)) await once(out, 'drain');
      },
      flags.follow ? { ended } : undefined,
    );
  }
}
