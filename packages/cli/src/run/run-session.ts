import type { Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { SandboxError } from '@vsb/core';
import type { ExitStatus, RunningSandbox } from '@vsb/core';
import { DetachFilter } from '../detach-filter';
import { HangupGuard } from '../hangup-guard';
import { RawTerminal } from '../terminal';
import { SignalForwarder } from './signal-forwarder';

/**
 * What ties a foreground `vsb run` to this process while its sandbox runs: the local terminal in
 * raw mode (tty sandboxes), Ctrl-] that detaches and ends the sandbox, forwarded signals, a hung-up
 * terminal, window resizes. Opened before the sandbox starts, so a signal then is remembered and
 * ends it as soon as it is up; closed on every way out, so the user's terminal comes back intact.
 */
export class RunSession {
  /** What the app reads: this process's stdin, through the Ctrl-] filter on a raw terminal. */
  readonly stdin: Readable;
  private readonly terminal?: RawTerminal;
  private readonly signals = new SignalForwarder(() => this.running);
  private running?: RunningSandbox;
  private detached = false;
  private readonly onResize = () => this.running?.resize(process.stdout.rows, process.stdout.columns);

  /** `tty`: the app runs on a pty, so a terminal on stdin goes raw. */
  constructor(tty: boolean) {
    this.terminal = tty && process.stdin.isTTY ? new RawTerminal(process.stdin as ReadStream) : undefined;
    this.stdin = this.terminal ? process.stdin.pipe(new DetachFilter(() => this.detach())) : process.stdin;
  }

  /** The signal that asked vsb to end, if one did (a hang-up counts as SIGHUP). */
  get received(): number | undefined {
    return this.signals.received;
  }

  open(): void {
    this.signals.install();
    new HangupGuard(() => this.signals.noteHangup()).install();
    this.terminal?.enter();
  }

  /** The sandbox is up: signals now reach its app (one that came during the start ends it), resizes its pty. */
  attach(running: RunningSandbox): void {
    this.running = running;
    if (this.signals.received !== undefined) void running.destroy();
    if (this.terminal) process.on('SIGWINCH', this.onResize);
  }

  /** The app's exit status; a run that a signal ended counts as killed by it, one that Ctrl-] ended is an error. */
  async wait(running: RunningSandbox): Promise<ExitStatus> {
    try {
      return await running.wait();
    } catch (err) {
      if (this.detached) throw new SandboxError('VSB_GUEST', 'detached (Ctrl-]): the sandbox was ended');
      if (this.signals.received) return { signal: this.signals.received };
      throw err;
    } finally {
      process.removeListener('SIGWINCH', this.onResize);
    }
  }

  close(): void {
    this.signals.uninstall();
    this.terminal?.restore();
    process.stdin.pause();
  }

  private detach(): void {
    this.detached = true;
    void this.running?.destroy();
  }
}
