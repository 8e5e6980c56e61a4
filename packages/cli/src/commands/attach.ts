import { BaseCommand } from '../base-command';
import { SANDBOX_NAME_ARG } from '../keeper/sandbox-name-arg';

/** `vsb attach NAME`: the stdio of a detached sandbox's command, as `podman attach` gives a container's. */
export default class Attach extends BaseCommand {
  static override summary = "Attach your terminal to a detached sandbox's command";
  static override description = [
    'Shows what the command of the detached sandbox NAME writes from now on (vsb logs shows what it wrote before). When it runs on a pty (vsb run --detach --tty), your terminal becomes its terminal: what you type goes to it, and its size follows yours.',
    'Ctrl-] detaches and leaves the command running (exit 0), as do SIGINT, SIGTERM and SIGHUP to vsb attach; when the command ends meanwhile, vsb attach exits with its status (128+N when signal N killed it). Several may be attached at once; one that cannot keep up with the output (4 MiB behind) is dropped, the command never waits for it.',
  ].join('\n\n');

  static override examples = [
    { description: "Watch a detached sandbox's output; Ctrl-] to leave", command: '<%= config.bin %> attach web' },
    { description: 'Come back to a shell started with: vsb run --detach --tty -n box -- bash', command: '<%= config.bin %> attach box' },
  ];

  static override args = { name: SANDBOX_NAME_ARG };

  async run(): Promise<void> {
    const { runLean } = await import('../exec/lean-main');
    process.exitCode = await runLean('attach', this.argv);
  }
}
