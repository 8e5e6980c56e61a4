import { constants as osConstants } from 'node:os';
import type { Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import type { ExitStatus, RunningSandbox } from '@vsb/core';
import { exitCodeOf } from '../exit-code';
import { noteLine, startedLines, timingLine } from '../start-lines';
import { BaseCommand } from '../base-command';
import { guestInitPath } from '../guest-init-path';
import { DetachFilter } from '../detach-filter';
import { RUN_FLAGS } from '../run-flags';
import { formatMiB } from '../format-mib';
import { HangupGuard } from '../hangup-guard';
import { RawTerminal } from '../terminal';

/** How long a forwarded SIGINT/SIGTERM/SIGHUP may take to end the app before the sandbox is destroyed. */
const SIGNAL_GRACE_MS = 5000;

/** `vsb run`: the original's `virt-sandbox [OPTIONS] COMMAND [ARGS...]`. */
export default class Run extends BaseCommand {
  static override summary = 'Run a command in a throwaway sandbox';
  static override description = [
    'Starts a transient libvirt domain (an LXC container by default) that sees the host\'s filesystem read-only,',
    'runs COMMAND in it with your stdin, stdout and stderr, and exits with its exit status (128+N when it was',
    'killed by signal N). Nothing is left behind. With a terminal on stdin and stdout the command gets a pty; Ctrl-]',
    'detaches and ends the sandbox. Ctrl-C, SIGTERM and SIGHUP are forwarded to the command; 5 s later, or',
    'on a second signal, the sandbox is destroyed.',
    'With a remote URI (qemu+ssh://root@HOST/system, lxc+ssh://root@HOST/) the sandbox runs on that host and sees its',
    'filesystem: mount sources and images are paths there; vsb uploads its own files (init, config, a VM\'s kernel and',
    'initrd) into a storage pool it removes after the run; --include and temporary host dirs are refused.',
  ].join(' ');

  static override usage = 'run [FLAGS] [--] COMMAND [ARGS...]';

  static override examples = [
    { description: 'Run a shell command confined in a container', command: '<%= config.bin %> run -- /bin/sh -c "id; hostname"' },
    { description: 'Give it a private 64 MiB /tmp and a host directory', command: '<%= config.bin %> run -m ram:/tmp=64M -m host-bind:/data=/srv/data -- ls /data' },
    { description: 'Run as another user, with an extra environment variable', command: '<%= config.bin %> run -S nobody -e LANG=C -- id' },
    { description: 'Show the libvirt domain XML without starting anything', command: '<%= config.bin %> run --dry-run -c lxc:/// -- /bin/true' },
    { description: 'Run a VM sandbox on another host over ssh (its /srv/data)', command: '<%= config.bin %> run -c qemu+ssh://root@build1/system -m host-bind:/data=/srv/data -- ls /data' },
    { description: 'Start a sandbox in the background (then: vsb ps, vsb logs web, vsb stop web)', command: '<%= config.bin %> run --detach -n web -- python3 -m http.server 8000' },
    { description: 'Keep a detached sandbox listed with its exit status after its command ended, until vsb stop', command: '<%= config.bin %> run --detach --keep -n tests -- make check' },
  ];

  static override strict = false;

  static override flags = RUN_FLAGS;

  async run(): Promise<void> {
    const { flags } = await this.parse(Run);
    // Loaded here, not at the top: `vsb --help` needs none of it.
    const { SandboxContext, SandboxError } = await import('@vsb/core');
    const { configFromFlags } = await import('../config-from-flags');
    const command = commandAfterDashes(this.argv);
    const { terminalMode } = await import('../terminal-mode');
    // Detached, a pty only on --tty (vsb attach then gives it a terminal), stdout and stderr merged on it.
    const config = configFromFlags(flags, command, flags.detach ? { tty: flags.tty === true, splitStderr: false } : terminalMode(flags.tty));
    if (flags.detach) {
      const { startDetached } = await import('../keeper/start-detached');
      const started = await startDetached(process.argv[1]!, {
        config, keep: flags.keep, quiet: flags.quiet, verbose: flags.verbose, timing: Boolean(flags.debug || process.env.VSB_TIMING),
        progress: Boolean(process.stderr.isTTY), timeOrigin: performance.timeOrigin,
        ...(config.tty && { rows: process.stdout.rows, cols: process.stdout.columns, term: process.env.TERM }),
      }, { stderr: (bytes) => void process.stderr.write(bytes), progress: showProgress });
      if ('name' in started) process.stdout.write(`${started.name}\n`);
      else process.exitCode = started.exitCode;
      return;
    }
    const { assemble } = await import('../assemble');
    const container = assemble([], process.env, this.config.getPluginsList());
    const context = new SandboxContext(container);
    const initPath = guestInitPath();
    const notify = flags.quiet ? () => undefined : (line: string) => void process.stderr.write(noteLine(line));
    const verbose = flags.verbose;
    if (flags['dry-run']) {
      process.stdout.write((await context.plan(config, { initPath, term: process.env.TERM, notify, verbose })).xml);
      return;
    }
    // Times since the process started (performance's origin), so the CLI's own load shows as 'cli'.
    const timing = flags.debug || process.env.VSB_TIMING
      ? (step: string) => process.stderr.write(timingLine(Math.round(performance.now()), step))
      : undefined;
    const { openRecorder } = await import('../record/open-recorder');
    const recorder = openRecorder(flags, config, container);
    const mark = recorder ? (step: string) => { timing?.(step); recorder.mark(step); } : timing;
    mark?.('cli');
    const terminal = config.tty && process.stdin.isTTY ? new RawTerminal(process.stdin as ReadStream) : undefined;
    let detached = false;
    let running: RunningSandbox | undefined;
    let stdin: Readable = process.stdin;
    if (terminal) {
      stdin = process.stdin.pipe(new DetachFilter(() => {
        detached = true;
        void running?.destroy();
      }));
    }
    const signals = new SignalForwarder(() => running);
    signals.install();
    new HangupGuard(() => signals.noteHangup()).install();
    try {
      terminal?.enter();
      running = await context.start(config, {
        initPath,
        stdio: { stdin, stdout: process.stdout, stderr: process.stderr },
        rows: process.stdout.rows, cols: process.stdout.columns, term: process.env.TERM, mark, notify, verbose,
        progress: process.stderr.isTTY ? showProgress : undefined,
      });
      recorder?.started(running);
      for (const line of startedLines(config, running, flags)) process.stderr.write(line);
      // A signal that arrived while starting: the user wants out, there is no app to forward it to yet.
      if (signals.received !== undefined) void running.destroy();
      const onResize = () => running?.resize(process.stdout.rows, process.stdout.columns);
      if (terminal) process.on('SIGWINCH', onResize);
      let status: ExitStatus;
      try {
        status = await running.wait();
      } catch (err) {
        if (detached) throw new SandboxError('VSB_GUEST', 'detached (Ctrl-]): the sandbox was ended');
        if (signals.received) status = { signal: signals.received };
        else throw err;
      } finally {
        process.removeListener('SIGWINCH', onResize);
      }
      mark?.('exit');
      if (status.outOfMemory) process.stderr.write(`vsb: the command was killed: out of memory (limit ${formatMiB(config.memoryBytes)}, --memory)\n`);
      recorder?.finish({ status, received: signals.received });
      process.exitCode = exitCodeOf(status, signals.received);
      // No running.close(): see its doc; this process ends now and the kernel closes the connection.
    } catch (err) {
      recorder?.finish({ error: err, received: signals.received });
      throw err;
    } finally {
      signals.uninstall();
      terminal?.restore();
      process.stdin.pause();
    }
  }
}

/** A status line on a terminal while the sandbox starts, erased (not scrolled) when it is up. */
function showProgress(line: string | undefined): void {
  process.stderr.write(line === undefined ? '\r\x1b[K' : `\r\x1b[K${line}...`);
}

/** The guest command: everything after the first `--` of the raw argv (oclif 4 reorders flag-like tokens). */
export function commandAfterDashes(argv: readonly string[]): string[] {
  const at = argv.indexOf('--');
  return at < 0 ? [] : argv.slice(at + 1);
}

/**
 * SIGINT/SIGTERM/SIGHUP are forwarded to the app; if it has not ended 5 s later, or on a second
 * signal, the sandbox is destroyed.
 */
class SignalForwarder {
  received?: number;
  private timer?: NodeJS.Timeout;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly target: () => RunningSandbox | undefined) {}

  install(): void {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => this.onSignal(osConstants.signals[name]);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.removeListener(name, handler);
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * The terminal is gone (EIO): the session already sent the app SIGHUP; vsb ends as if it got
   * SIGHUP itself (exit 129), with the same grace before the sandbox is destroyed.
   */
  noteHangup(): void {
    if (this.received !== undefined) return;
    this.received = osConstants.signals.SIGHUP;
    const running = this.target();
    if (!running) return;
    this.timer = setTimeout(() => void running.destroy(), SIGNAL_GRACE_MS);
    this.timer.unref();
  }

  private onSignal(signo: number): void {
    const running = this.target();
    const again = this.received !== undefined;
    this.received = signo;
    if (!running) return;
    if (again) {
      void running.destroy();
      return;
    }
    running.signal(signo);
    this.timer = setTimeout(() => void running.destroy(), SIGNAL_GRACE_MS);
    this.timer.unref();
  }
}
