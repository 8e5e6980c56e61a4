import { BaseCommand } from '../base-command';
import { guestInitPath } from '../guest-init-path';
import { RUN_FLAGS, type RunFlags } from '../run-flags';
import { showProgress } from '../run/show-progress';
import { noteLine } from '../start-lines';

/** `vsb run`: the original's `virt-sandbox [OPTIONS] COMMAND [ARGS...]`. */
export default class Run extends BaseCommand {
  static override summary = 'Run a command in a throwaway sandbox';
  static override description = [
    "Starts a transient libvirt domain (an LXC container by default) that sees the host's filesystem read-only,",
    'runs COMMAND in it with your stdin, stdout and stderr, and exits with its exit status (128+N when it was',
    'killed by signal N). Nothing is left behind. With a terminal on stdin and stdout the command gets a pty; Ctrl-]',
    'detaches and ends the sandbox. Ctrl-C, SIGTERM and SIGHUP are forwarded to the command; 5 s later, or',
    'on a second signal, the sandbox is destroyed.',
    'With a remote URI (qemu+ssh://root@HOST/system, lxc+ssh://root@HOST/) the sandbox runs on that host and sees its',
    "filesystem: mount sources and images are paths there; vsb uploads its own files (init, config, a VM's kernel and",
    'initrd) into a storage pool it removes after the run; --include and temporary host dirs are refused.',
  ].join(' ');

  static override usage = 'run [FLAGS] [--] COMMAND [ARGS...]';

  static override examples = [
    { description: 'Run a shell command confined in a container', command: '<%= config.bin %> run -- /bin/sh -c "id; hostname"' },
    {
      description: 'Give it a private 64 MiB /tmp and a host directory',
      command: '<%= config.bin %> run -m ram:/tmp=64M -m host-bind:/data=/srv/data -- ls /data',
    },
    { description: 'Run as another user, with an extra environment variable', command: '<%= config.bin %> run -S nobody -e LANG=C -- id' },
    { description: 'Show the libvirt domain XML without starting anything', command: '<%= config.bin %> run --dry-run -c lxc:/// -- /bin/true' },
    {
      description: 'Run a VM sandbox on another host over ssh (its /srv/data)',
      command: '<%= config.bin %> run -c qemu+ssh://root@build1/system -m host-bind:/data=/srv/data -- ls /data',
    },
    {
      description: 'Start a sandbox in the background (then: vsb ps, vsb logs web, vsb stop web)',
      command: '<%= config.bin %> run --detach -n web -- python3 -m http.server 8000',
    },
    {
      description: 'Keep a detached sandbox listed with its exit status after its command ended, until vsb stop',
      command: '<%= config.bin %> run --detach --keep -n tests -- make check',
    },
  ];

  static override strict = false;

  static override flags = RUN_FLAGS;

  async run(): Promise<void> {
    const flags: RunFlags = (await this.parse(Run)).flags;
    // Loaded here, not at the top: `vsb --help` needs none of it.
    const { SandboxContext } = await import('@vsb/core');
    const { configFromFlags } = await import('../config-from-flags');
    const command = commandAfterDashes(this.argv);
    const { terminalMode } = await import('../terminal-mode');
    // Detached, a pty only on --tty (vsb attach then gives it a terminal), stdout and stderr merged on it.
    const config = configFromFlags(flags, command, flags.detach ? { tty: flags.tty === true, splitStderr: false } : terminalMode(flags.tty));
    if (flags.detach) {
      const { startDetached } = await import('../keeper/start-detached');
      const started = await startDetached(
        process.argv[1]!,
        {
          config,
          keep: Boolean(flags.keep),
          quiet: Boolean(flags.quiet),
          verbose: Boolean(flags.verbose),
          timing: Boolean(flags.debug || process.env.VSB_TIMING),
          progress: Boolean(process.stderr.isTTY),
          timeOrigin: performance.timeOrigin,
          ...(config.tty && { rows: process.stdout.rows, cols: process.stdout.columns, term: process.env.TERM }),
        },
        { stderr: (bytes) => void process.stderr.write(bytes), progress: showProgress },
      );
      if ('name' in started) process.stdout.write(`${started.name}\n`);
      else process.exitCode = started.exitCode;
      return;
    }
    const { assemble } = await import('../assemble');
    const container = assemble([], process.env, this.config.getPluginsList());
    const context = new SandboxContext(container);
    const initPath = guestInitPath();
    const notify = flags.quiet ? () => undefined : (line: string) => void process.stderr.write(noteLine(line));
    if (flags['dry-run']) {
      process.stdout.write((await context.plan(config, { initPath, term: process.env.TERM, notify, verbose: flags.verbose })).xml);
      return;
    }
    const { runAttached } = await import('../run/attached-run');
    process.exitCode = await runAttached(config, flags, { context, container, initPath, notify });
  }
}

/** The guest command: everything after the first `--` of the raw argv (oclif 4 reorders flag-like tokens). */
export function commandAfterDashes(argv: readonly string[]): string[] {
  const at = argv.indexOf('--');
  return at < 0 ? [] : argv.slice(at + 1);
}
