import { BaseCommand } from '../base-command';
import { EXEC_FLAGS } from '../exec/exec-flags';
import { oclifFlags } from '../exec/oclif-flags';
import { SANDBOX_NAME_ARG } from '../keeper/sandbox-name-arg';

/** `vsb exec NAME -- COMMAND`: another command in a detached sandbox, as `podman exec` runs one in a container. */
export default class Exec extends BaseCommand {
  static override summary = 'Run another command in a detached sandbox';
  static override description = [
    "Runs COMMAND in the detached sandbox NAME (vsb run --detach) beside its command, and exits with its exit status (128+N when signal N killed it). It is confined exactly as the sandbox's command: the same root, mounts, network, user and user namespace, capabilities, seccomp filter, Landlock ruleset and process bound; it sees what the sandbox's command and other exec'd commands write in its mounts.",
    "COMMAND gets your stdin, stdout and stderr: on a local container these very descriptors when they are pipes or files (so it reads and writes them itself, EOF and SIGPIPE included), relayed otherwise (terminals, VMs). With --tty it runs on a pty of its own instead. Bytes of arguments and environment reach it unchanged. Its environment is the sandbox command's, with your LANG, LC_* and TZ, TERM, and the --env entries over it; it starts where the sandbox's command started unless --workdir says otherwise.",
    'Ctrl-C, SIGTERM and SIGHUP are forwarded to COMMAND; a second one kills it. If vsb exec itself dies, COMMAND is killed. Many may run at once. Options come before NAME; everything after NAME (and an optional --) is COMMAND.',
  ].join('\n\n');

  static override usage = 'exec [-t] [-e KEY=VALUE]... [-w DIR] NAME [--] COMMAND [ARGS...]';

  static override examples = [
    { description: 'Run a shell command in the sandbox web', command: '<%= config.bin %> exec web -- sh -c "ps; df -h /tmp"' },
    { description: 'An interactive shell on a pty of its own', command: '<%= config.bin %> exec -t web -- sh' },
    {
      description: 'Feed it a file, with another working directory and a variable',
      command: '<%= config.bin %> exec -w /tmp -e MODE=fast web -- sh -c "cat > data; wc -c data" < data.bin',
    },
  ];

  static override strict = false;
  static override args = { name: SANDBOX_NAME_ARG };
  static override flags = oclifFlags(EXEC_FLAGS);

  async run(): Promise<void> {
    // bin/run.js runs exec without oclif (dist/vsb-exec.js); this is the same, should oclif run it.
    const { runLean } = await import('../exec/lean-main');
    process.exitCode = await runLean('exec', this.argv);
  }
}
