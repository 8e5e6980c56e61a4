import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command';
import { SANDBOX_NAME_ARG } from '../keeper/sandbox-name-arg';
import { DEFAULT_STOP_GRACE_SECONDS } from '../keeper/stop-grace';

/** `vsb stop NAME [-t SECONDS]`: ends a detached sandbox, as `podman stop` does a container. */
export default class Stop extends BaseCommand {
  static override summary = 'Stop a detached sandbox and remove everything of it';
  static override description = [
    'Sends SIGTERM to the command of the detached sandbox NAME, waits up to --time seconds for it to end, then destroys the sandbox, and returns once nothing of it is left: no domain, no state directory, no log. A sandbox started with --keep whose command has ended is removed at once.',
    'It prints NAME on stdout when done. A name that is not one of your running detached sandboxes is a one-line error.',
  ].join('\n\n');

  static override examples = [
    { description: 'Stop a sandbox, giving its command 10 s to end', command: '<%= config.bin %> stop web' },
    { description: 'Destroy it after 1 s if SIGTERM did not end it', command: '<%= config.bin %> stop -t 1 web' },
  ];

  static override args = {
    name: SANDBOX_NAME_ARG,
  };

  static override flags = {
    time: Flags.integer({
      char: 't',
      min: 0,
      default: DEFAULT_STOP_GRACE_SECONDS,
      helpValue: 'SECONDS',
      summary: 'how long the command may take to end after SIGTERM before the sandbox is destroyed',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Stop);
    const { findDetached } = await import('../keeper/detached-sandbox');
    const { stopDetached } = await import('../keeper/stop-detached');
    const sandbox = findDetached(args.name);
    await stopDetached(sandbox, flags.time * 1000);
    process.stdout.write(`${sandbox.metadata.name}\n`);
  }
}
