import type { Duplex, Writable } from 'node:stream';
import { SandboxError, type ConsoleSession, type ExitStatus, type Stdio, type StdioBytes } from '@vsb/core';
import { decodeAck, decodeError, decodeExit } from './decode-payload';
import { encodeAck, encodeQuit, encodeSignal, encodeStart, encodeWinsize } from './encode-frame';
import { flushed } from './flushed';
import { FrameDecoder, type Frame } from './frame-decoder';
import { FrameType, frameTypeName } from './frame-type';
import { Handshake } from './handshake';
import { OutputSinks } from './output-sinks';
import type { ConsoleRpcSessionOptions } from './console-rpc-session-options';
import { SessionState } from './session-state';
import { StreamRoutes, type SessionStreams } from './session-streams';
import { StdinPump } from './stdin-pump';

/**
 * The host side of one process's stream of the stdio protocol over an open console stream:
 * handshake, WINSIZE and START (or another start, such as EXEC), then host stdin -> STDIN frames
 * and STDOUT/STDERR frames -> host stdout/stderr until EXIT, flow-controlled by the protocol's
 * windows both ways: output is acknowledged as the host's stdout takes it, so a slow reader of
 * `vsb`'s output holds the process back (not the channel, which other streams share) instead of
 * filling memory. Frames of other streams go to {@link streams}.
 */
export class ConsoleRpcSession implements ConsoleSession {
  /** Resolves with the app's status once all its output was written to the host and QUIT was sent. */
  readonly exit: Promise<ExitStatus>;
  /**
   * Resolves when the console stream ended or was closed: after `exit`, the guest has received QUIT
   * and synced. Callers may await it (with a timeout) before destroying the domain.
   */
  readonly closed: Promise<void>;
  /** Resolves true on the guest's STARTED (the app runs), false when the session ended without it (the app never ran). */
  readonly appStarted: Promise<boolean>;
  /** The channel's other streams: processes started beside this one (`vsb exec`). */
  readonly streams: SessionStreams;

  /** Bytes relayed each way, payloads only (what the app read and wrote); null for a stream handed to the app. */
  get bytes(): StdioBytes {
    const mask = this.options.handedOver ?? 0;
    const { stdout, stderr } = this.counts;
    return { stdin: mask & 1 ? null : this.stdinPump.sent, stdout: mask & 2 ? null : stdout, stderr: mask & 4 ? null : stderr };
  }

  private readonly counts = { stdout: 0, stderr: 0 };
  private readonly id: number;
  private readonly routes: StreamRoutes;
  private readonly decoder = new FrameDecoder({ streamTypes: [FrameType.STDOUT, FrameType.STDERR] });
  private readonly output: OutputSinks;
  private readonly stdinPump: StdinPump;
  private resolveExit!: (status: ExitStatus) => void;
  private rejectExit!: (error: Error) => void;
  private resolveClosed!: () => void;
  private resolveAppStarted!: (running: boolean) => void;
  private state = SessionState.Opening;
  private guestError: SandboxError | undefined;

  private constructor(
    private readonly console: Duplex,
    stdio: Stdio,
    private readonly options: ConsoleRpcSessionOptions,
  ) {
    this.id = options.stream ?? 0;
    this.exit = new Promise<ExitStatus>((resolve, reject) => {
      this.resolveExit = resolve;
      this.rejectExit = reject;
    });
    // Callers await `exit`; this only keeps a failure nobody awaits from crashing the process.
    this.exit.catch(() => undefined);
    this.closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
    this.appStarted = new Promise<boolean>((resolve) => (this.resolveAppStarted = resolve));
    this.routes = new StreamRoutes(console, options.descriptors);
    this.streams = this.routes;
    this.stdinPump = new StdinPump(stdio.stdin, console, this.id);
    this.output = new OutputSinks(
      stdio.stdout,
      stdio.stderr,
      (bytes) => this.ack(bytes),
      (signo) => this.signal(signo),
    );
    // Installed first and kept: a write to a dying stream must never become an uncaught 'error'.
    console.on('error', this.onConsoleError);
  }

  /**
   * Runs the handshake on `console` (unless `handshake: false`), sends the start, and starts
   * pumping. Rejects (and destroys the console) when the handshake fails; the returned session's
   * `exit` carries everything after that.
   */
  static async open(console: Duplex, stdio: Stdio, options: ConsoleRpcSessionOptions): Promise<ConsoleRpcSession> {
    const session = new ConsoleRpcSession(console, stdio, options);
    let leftover: Buffer = Buffer.alloc(0);
    try {
      if (options.handshake !== false) {
        leftover = await new Handshake({ timeoutMs: options.handshakeTimeoutMs, intervalMs: options.handshakeIntervalMs, signal: options.signal }).run(console);
      }
      if (options.beforeStart) {
        await flushed(console);
        await options.beforeStart(console);
      }
    } catch (error) {
      session.state = SessionState.Aborted;
      console.destroy();
      throw error;
    }
    session.begin(leftover);
    return session;
  }

  /** Sends WINSIZE (tty mode); ignored once the session ended. Out-of-range values are clamped. */
  resize(rows: number, cols: number): void {
    if (!this.live) return;
    this.send(encodeWinsize(clampU16(rows), clampU16(cols), this.id));
  }

  /** Sends SIGNAL for the process group; ignored once the session ended. */
  signal(signo: number): void {
    if (!this.live || !Number.isInteger(signo) || signo <= 0) return;
    this.send(encodeSignal(signo, this.id));
  }

  /** Destroys the console stream; a pending `exit` rejects (`VSB_GUEST`). */
  close(): void {
    this.settle(new SandboxError('VSB_GUEST', 'the console was closed before the app reported its exit status'));
    this.finishConsole();
    this.console.destroy();
  }

  /** Whether the stream is live: its frames are taken and sent until EXIT came or `exit` settled. */
  private get live(): boolean {
    return this.state < SessionState.Exited;
  }

  private begin(leftover: Buffer): void {
    const console = this.console;
    // A channel that failed while `beforeStart` ran has already ended the session.
    if (this.state === SessionState.Opening) this.state = SessionState.Running;
    console.on('data', this.onConsoleData);
    console.on('end', this.onConsoleEnd);
    console.on('close', this.onConsoleEnd);
    if (this.options.start) {
      this.send(this.options.start);
    } else {
      if (this.options.tty) {
        const size = this.terminalSize();
        this.send(encodeWinsize(size.rows, size.cols));
      }
      this.send(encodeStart());
    }
    if (leftover.length > 0) this.onConsoleData(leftover);
    console.resume();
    if (this.state === SessionState.Running) this.stdinPump.start();
  }

  private terminalSize(): { rows: number; cols: number } {
    const out = this.output.stdout as Writable & { isTTY?: boolean; rows?: number; columns?: number };
    const rows = this.options.rows ?? (out.isTTY ? out.rows : undefined) ?? 24;
    const cols = this.options.cols ?? (out.isTTY ? out.columns : undefined) ?? 80;
    return { rows: clampU16(rows), cols: clampU16(cols) };
  }

  private send(frame: Buffer): boolean {
    if (this.console.destroyed || this.console.writableEnded) return false;
    return this.console.write(frame);
  }

  // ---- guest -> host -------------------------------------------------------------------------

  private readonly onConsoleData = (chunk: Buffer): void => {
    try {
      this.decoder.push(chunk, this.onFrame);
    } catch (error) {
      this.console.destroy();
      this.routes.end();
      this.end(error as Error);
    }
  };

  private readonly onFrame = (frame: Frame): void => {
    if (frame.stream !== this.id) {
      this.routes.dispatch(frame);
      return;
    }
    if (!this.live) return;
    switch (frame.type) {
      case FrameType.STDOUT:
        this.counts.stdout += frame.payload.length;
        this.output.write(false, frame.payload);
        return;
      case FrameType.STDERR:
        this.counts.stderr += frame.payload.length;
        this.output.write(true, frame.payload);
        return;
      case FrameType.ACK:
        this.stdinPump.acked(decodeAck(frame.payload));
        return;
      case FrameType.EXIT: {
        // An EXIT behind a failure in the same chunk only stops the stream: that end is under way.
        const ending = this.state === SessionState.Ending;
        this.state = SessionState.Exited;
        if (!ending) this.flush(this.exitOutcome(frame.payload));
        return;
      }
      case FrameType.STARTED:
        this.resolveAppStarted(true);
        return;
      case FrameType.ERROR:
        // The guest follows up with EXIT (code 1) and waits for QUIT: answer it, then report this.
        this.guestError ??= new SandboxError('VSB_GUEST', `${this.options.errorPrefix ?? 'guest: '}${decodeError(frame.payload)}`);
        return;
      default:
        this.console.destroy();
        this.end(new SandboxError('VSB_PROTOCOL', `unexpected ${frameTypeName(frame.type)} frame from the guest`));
    }
  };

  private readonly onConsoleEnd = (): void => {
    this.finishConsole();
    if (this.state === SessionState.Exited || this.state === SessionState.Finished) {
      if (!this.console.writableEnded && !this.console.destroyed) this.console.end();
      return;
    }
    this.end(this.guestError ?? new SandboxError('VSB_GUEST', 'the sandbox ended before the app reported its exit status'));
  };

  private readonly onConsoleError = (error: Error): void => {
    this.routes.end();
    if (!this.live) return;
    this.end(new SandboxError('VSB_LIBVIRT', `console stream failed: ${error.message}`, [], { cause: error }));
  };

  /** The guest's side is gone: stop listening, tell `closed` waiters and the other streams (again: harmless). */
  private finishConsole(): void {
    this.console.removeListener('data', this.onConsoleData);
    this.console.removeListener('end', this.onConsoleEnd);
    this.console.removeListener('close', this.onConsoleEnd);
    this.routes.end();
    this.resolveClosed();
  }

  private ack(bytes: number): void {
    if (this.live) this.send(encodeAck(bytes, this.id));
  }

  /** What EXIT settles `exit` with: a malformed EXIT's error, else the guest's ERROR when one came, else the status. */
  private exitOutcome(payload: Buffer): ExitStatus | Error {
    let status: ExitStatus;
    try {
      status = decodeExit(payload);
    } catch (error) {
      return error as Error;
    }
    return this.guestError ?? status;
  }

  /** The stream failed or its channel ended before EXIT: ends the session with `error`, once. */
  private end(error: Error): void {
    if (this.state > SessionState.Running) return;
    this.state = SessionState.Ending;
    this.flush(error);
  }

  /** Waits until every output write completed, then settles `exit` (after QUIT when EXIT came). */
  private flush(outcome: ExitStatus | Error): void {
    this.stdinPump.stop();
    this.output.whenWritten(() => {
      // QUIT is the guest's; a keeper (no handshake) ends the connection itself.
      if (this.state === SessionState.Exited && this.options.handshake !== false) this.send(encodeQuit());
      this.settle(outcome);
    });
  }

  private settle(outcome: ExitStatus | Error): void {
    if (this.state === SessionState.Finished || this.state === SessionState.Aborted) return;
    this.state = this.state === SessionState.Exited ? SessionState.Finished : SessionState.Aborted;
    this.resolveAppStarted(false);
    this.stdinPump.stop();
    this.output.detach();
    // Keep reading (and discarding) so the guest's EOF arrives and `closed` resolves.
    if (!this.console.readableEnded && !this.console.destroyed) this.console.resume();
    if (outcome instanceof Error) this.rejectExit(outcome);
    else this.resolveExit(outcome);
  }
}

function clampU16(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(0xffff, Math.max(0, Math.trunc(value)));
}
