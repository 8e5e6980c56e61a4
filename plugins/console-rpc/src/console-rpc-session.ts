import type { Duplex, Readable, Writable } from 'node:stream';
import { SandboxError, type ConsoleSession, type ExitStatus, type Stdio, type StdioBytes } from '@vsb/core';
import { decodeError, decodeExit } from './decode-payload';
import { encodeQuit, encodeSignal, encodeStart, encodeStdinEof, encodeWinsize } from './encode-frame';
import { FrameDecoder, type Frame } from './frame-decoder';
import { FrameType, frameTypeName } from './frame-type';
import { Handshake } from './handshake';
import { writeFrame } from './write-frame';

/** Options of {@link ConsoleRpcSession.open}. */
export interface ConsoleRpcSessionOptions {
  /** The app runs on a pty: WINSIZE is sent before START and stdin bytes pass through unchanged. */
  readonly tty: boolean;
  /** Terminal rows sent before START in tty mode (default: those of `stdio.stdout` when it is a terminal, else 24). */
  readonly rows?: number;
  /** Terminal columns sent before START in tty mode (default: those of `stdio.stdout` when it is a terminal, else 80). */
  readonly cols?: number;
  /** See {@link HandshakeOptions.timeoutMs}. */
  readonly handshakeTimeoutMs?: number;
  /** See {@link HandshakeOptions.intervalMs}. */
  readonly handshakeIntervalMs?: number;
  /** Aborts the handshake (the session itself is ended with {@link ConsoleRpcSession.close}). */
  readonly signal?: AbortSignal;
  /**
   * Runs after the handshake, before WINSIZE and START, once everything written so far has left
   * (e.g. socket-rpc sending the host's stdio descriptors); a failure fails `open`.
   */
  readonly beforeStart?: (console: Duplex) => void | Promise<void>;
  /** Streams the app reads and writes itself (socket-rpc's STDIO_FDS mask: stdin 1, stdout 2, stderr 4): not relayed, so not counted. */
  readonly handedOver?: number;
}

/** Signal number of SIGPIPE on Linux, forwarded when the host's stdout or stderr breaks. */
const SIGPIPE = 13;
/** Signal number of SIGHUP on Linux, forwarded when the host's stdout or stderr was a terminal that went away (EIO). */
const SIGHUP = 1;

/** One host output stream (stdout or stderr) and its backpressure state. */
interface OutputSink {
  readonly stream: Writable;
  /** A write returned false: the console stays paused until 'drain'. */
  blocked: boolean;
  /** The stream failed (EPIPE ...): further output for it is dropped. */
  broken: boolean;
  readonly onDrain: () => void;
  readonly onError: (error: Error) => void;
}

/**
 * The host side of one run of the stdio protocol over an open console stream: handshake, WINSIZE and
 * START, then host stdin -> STDIN frames and STDOUT/STDERR frames -> host stdout/stderr, both ways
 * with backpressure, until EXIT. Unlike the original (which read the console as fast as it came),
 * the console is paused while the host's stdout or stderr is full, so a slow reader of `vsb`'s
 * output holds the app back instead of filling memory.
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

  /** Bytes relayed each way, payloads only (what the app read and wrote); null for a stream handed to the app. */
  get bytes(): StdioBytes {
    const mask = this.options.handedOver ?? 0;
    const { stdin, stdout, stderr } = this.counts;
    return { stdin: mask & 1 ? null : stdin, stdout: mask & 2 ? null : stdout, stderr: mask & 4 ? null : stderr };
  }

  private readonly counts = { stdin: 0, stdout: 0, stderr: 0 };

  private readonly decoder = new FrameDecoder({ streamTypes: [FrameType.STDOUT, FrameType.STDERR] });
  private readonly stdout: OutputSink;
  private readonly stderr: OutputSink;
  private readonly stdin: Readable;
  private resolveExit!: (status: ExitStatus) => void;
  private rejectExit!: (error: Error) => void;
  private resolveClosed!: () => void;
  private resolveAppStarted!: (running: boolean) => void;
  /** Output writes not yet completed (their callbacks not called). */
  private inflight = 0;
  private flushWaiters: Array<() => void> = [];
  /** START was sent: the console may be read. */
  private startSent = false;
  /** EXIT arrived: the frames after it are ignored, the stream's end is expected. */
  private exitReceived = false;
  /** A terminal path (EXIT, EOF, error) is flushing output before settling `exit`. */
  private ending = false;
  private settled = false;
  private consoleDone = false;
  private guestError: SandboxError | undefined;
  private stdinReading = false;
  private stdinWaitingDrain = false;
  private stdinEofSent = false;

  private constructor(
    private readonly console: Duplex,
    stdio: Stdio,
    private readonly options: ConsoleRpcSessionOptions,
  ) {
    this.exit = new Promise<ExitStatus>((resolve, reject) => {
      this.resolveExit = resolve;
      this.rejectExit = reject;
    });
    // Callers await `exit`; this only keeps a failure nobody awaits from crashing the process.
    this.exit.catch(() => undefined);
    this.closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
    this.appStarted = new Promise<boolean>((resolve) => (this.resolveAppStarted = resolve));
    this.stdin = stdio.stdin;
    this.stdout = this.sink(stdio.stdout);
    this.stderr = stdio.stderr === stdio.stdout ? this.stdout : this.sink(stdio.stderr);
    // Installed first and kept: a write to a dying stream must never become an uncaught 'error'.
    console.on('error', this.onConsoleError);
  }

  /**
   * Runs the handshake on `console`, sends WINSIZE (tty mode) and START, and starts pumping. Rejects
   * (and destroys the console) when the handshake fails; the returned session's `exit` carries
   * everything after that.
   */
  static async open(console: Duplex, stdio: Stdio, options: ConsoleRpcSessionOptions): Promise<ConsoleRpcSession> {
    const session = new ConsoleRpcSession(console, stdio, options);
    let leftover: Buffer;
    try {
      leftover = await new Handshake({
        timeoutMs: options.handshakeTimeoutMs,
        intervalMs: options.handshakeIntervalMs,
        signal: options.signal,
      }).run(console);
      if (options.beforeStart) {
        await flushed(console);
        await options.beforeStart(console);
      }
    } catch (error) {
      session.settled = true;
      console.destroy();
      throw error;
    }
    session.begin(leftover);
    return session;
  }

  /** Sends WINSIZE (tty mode); ignored once the session ended. Out-of-range values are clamped. */
  resize(rows: number, cols: number): void {
    if (this.settled || this.exitReceived) return;
    this.send(encodeWinsize(clampU16(rows), clampU16(cols)));
  }

  /** Sends SIGNAL for the app's process group; ignored once the session ended. */
  signal(signo: number): void {
    if (this.settled || this.exitReceived || !Number.isInteger(signo) || signo <= 0) return;
    this.send(encodeSignal(signo));
  }

  /** Destroys the console stream; a pending `exit` rejects (`VSB_GUEST`). */
  close(): void {
    this.settle(new SandboxError('VSB_GUEST', 'the console was closed before the app reported its exit status'));
    this.finishConsole();
    this.console.destroy();
  }

  private begin(leftover: Buffer): void {
    const console = this.console;
    console.on('data', this.onConsoleData);
    console.on('end', this.onConsoleEnd);
    console.on('close', this.onConsoleEnd);
    if (this.options.tty) {
      const size = this.terminalSize();
      this.send(encodeWinsize(size.rows, size.cols));
    }
    this.send(encodeStart());
    this.startSent = true;
    if (leftover.length > 0) this.onConsoleData(leftover);
    if (!this.stdout.blocked && !this.stderr.blocked && !this.consoleDone) console.resume();
    if (!this.ending) this.startStdin();
  }

  private terminalSize(): { rows: number; cols: number } {
    const out = this.stdout.stream as Writable & { isTTY?: boolean; rows?: number; columns?: number };
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
    if (this.exitReceived || this.settled) return;
    try {
      this.decoder.push(chunk, this.onFrame);
    } catch (error) {
      this.console.destroy();
      this.end(error as Error);
    }
  };

  private readonly onFrame = (frame: Frame): void => {
    if (this.exitReceived || this.settled) return;
    switch (frame.type) {
      case FrameType.STDOUT:
        this.counts.stdout += frame.payload.length;
        this.output(this.stdout, frame.payload);
        return;
      case FrameType.STDERR:
        this.counts.stderr += frame.payload.length;
        this.output(this.stderr, frame.payload);
        return;
      case FrameType.EXIT: {
        this.exitReceived = true;
        let status: ExitStatus;
        try {
          status = decodeExit(frame.payload);
        } catch (error) {
          this.end(error as Error);
          return;
        }
        this.end(this.guestError ?? status);
        return;
      }
      case FrameType.STARTED:
        this.resolveAppStarted(true);
        return;
      case FrameType.ERROR:
        // The guest follows up with EXIT (code 1) and waits for QUIT: answer it, then report this.
        this.guestError ??= new SandboxError('VSB_GUEST', `guest: ${decodeError(frame.payload)}`);
        return;
      default:
        this.console.destroy();
        this.end(new SandboxError('VSB_PROTOCOL', `unexpected ${frameTypeName(frame.type)} frame from the guest`));
    }
  };

  private readonly onConsoleEnd = (): void => {
    this.finishConsole();
    if (this.exitReceived) {
      if (!this.console.writableEnded && !this.console.destroyed) this.console.end();
      return;
    }
    this.end(this.guestError ?? new SandboxError('VSB_GUEST', 'the sandbox ended before the app reported its exit status'));
  };

  private readonly onConsoleError = (error: Error): void => {
    if (this.exitReceived || this.settled) return;
    this.end(new SandboxError('VSB_LIBVIRT', `console stream failed: ${error.message}`, [], { cause: error }));
  };

  /** The guest's side is gone: stop listening, tell `closed` waiters. */
  private finishConsole(): void {
    if (this.consoleDone) return;
    this.consoleDone = true;
    this.console.removeListener('data', this.onConsoleData);
    this.console.removeListener('end', this.onConsoleEnd);
    this.console.removeListener('close', this.onConsoleEnd);
    this.resolveClosed();
  }

  private sink(stream: Writable): OutputSink {
    const sink: OutputSink = {
      stream,
      blocked: false,
      broken: false,
      onDrain: () => {
        sink.blocked = false;
        this.maybeResumeConsole();
      },
      onError: (error: NodeJS.ErrnoException) => {
        if (sink.broken) return;
        sink.broken = true;
        sink.blocked = false;
        stream.removeListener('drain', sink.onDrain);
        // Nobody reads this output any more: like a pipe on the host, the app gets SIGPIPE; like
        // a shell whose terminal hung up, SIGHUP when the output was a terminal that is gone.
        this.signal(error.code === 'EIO' ? SIGHUP : SIGPIPE);
        this.maybeResumeConsole();
      },
    };
    stream.on('error', sink.onError);
    return sink;
  }

  private output(sink: OutputSink, payload: Buffer): void {
    if (payload.length === 0 || sink.broken) return;
    this.inflight++;
    const ok = sink.stream.write(payload, this.onWritten);
    if (!ok && !sink.blocked && !sink.broken) {
      sink.blocked = true;
      sink.stream.once('drain', sink.onDrain);
      this.console.pause();
    }
  }

  private readonly onWritten = (): void => {
    this.inflight--;
    if (this.inflight === 0 && this.flushWaiters.length > 0) {
      const waiters = this.flushWaiters;
      this.flushWaiters = [];
      for (const waiter of waiters) waiter();
    }
  };

  private maybeResumeConsole(): void {
    if (this.startSent && !this.stdout.blocked && !this.stderr.blocked && !this.consoleDone) this.console.resume();
  }

  /** Waits until every output write completed, then settles `exit` (after QUIT when EXIT came). */
  private end(outcome: ExitStatus | Error): void {
    if (this.ending || this.settled) return;
    this.ending = true;
    this.detachStdin();
    const finish = (): void => {
      if (this.exitReceived) this.send(encodeQuit());
      this.settle(outcome);
    };
    if (this.inflight === 0) finish();
    else this.flushWaiters.push(finish);
  }

  private settle(outcome: ExitStatus | Error): void {
    if (this.settled) return;
    this.settled = true;
    this.ending = true;
    this.resolveAppStarted(false);
    this.detachStdin();
    for (const sink of new Set([this.stdout, this.stderr])) {
      sink.stream.removeListener('drain', sink.onDrain);
      sink.stream.removeListener('error', sink.onError);
      sink.blocked = false;
    }
    // Keep reading (and discarding) so the guest's EOF arrives and `closed` resolves.
    if (!this.consoleDone && !this.console.destroyed) this.console.resume();
    if (outcome instanceof Error) this.rejectExit(outcome);
    else this.resolveExit(outcome);
  }

  // ---- host -> guest -------------------------------------------------------------------------

  private startStdin(): void {
    const stdin = this.stdin;
    if (stdin.readableEnded) {
      this.sendStdinEof();
      return;
    }
    this.stdinReading = true;
    stdin.on('data', this.onStdinData);
    stdin.once('end', this.onStdinEnd);
    stdin.on('error', this.onStdinEnd);
    stdin.resume();
  }

  private readonly onStdinData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0 || !this.stdinReading) return;
    this.counts.stdin += data.length;
    if (!writeFrame(this.console, FrameType.STDIN, data) && !this.stdinWaitingDrain) {
      this.stdinWaitingDrain = true;
      this.stdin.pause();
      this.console.once('drain', this.onConsoleDrain);
    }
  };

  private readonly onConsoleDrain = (): void => {
    this.stdinWaitingDrain = false;
    if (this.stdinReading) this.stdin.resume();
  };

  /** Stdin ended (or failed, which the app sees as EOF too). */
  private readonly onStdinEnd = (): void => {
    this.detachStdin();
    this.sendStdinEof();
  };

  private sendStdinEof(): void {
    if (this.stdinEofSent || this.ending) return;
    this.stdinEofSent = true;
    this.send(encodeStdinEof());
  }

  /** Leaves host stdin as we found it, minus our listeners: paused, so it keeps nothing alive. */
  private detachStdin(): void {
    if (!this.stdinReading) return;
    this.stdinReading = false;
    const stdin = this.stdin;
    stdin.removeListener('data', this.onStdinData);
    stdin.removeListener('end', this.onStdinEnd);
    stdin.removeListener('error', this.onStdinEnd);
    this.console.removeListener('drain', this.onConsoleDrain);
    this.stdinWaitingDrain = false;
    if (!stdin.readableEnded) stdin.pause();
  }
}

function clampU16(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(0xffff, Math.max(0, Math.trunc(value)));
}

/** Resolves once every write made so far on `stream` has been handed to the OS. */
function flushed(stream: Duplex): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => stream.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
}
