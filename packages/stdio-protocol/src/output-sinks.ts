import type { Writable } from 'node:stream';

/** Signal number of SIGPIPE on Linux, forwarded when the host's stdout or stderr breaks. */
const SIGPIPE = 13;
/** Signal number of SIGHUP on Linux, forwarded when the host's stdout or stderr was a terminal that went away (EIO). */
const SIGHUP = 1;

/** One host output stream (stdout or stderr). */
interface Sink {
  readonly stream: Writable;
  /** The stream failed (EPIPE ...): further output for it is dropped. */
  broken: boolean;
  readonly onError: (error: NodeJS.ErrnoException) => void;
}

/**
 * A session's host stdout and stderr: each piece of the process's output is acknowledged to the
 * guest once its stream took it (so the guest sends no more than the window while the reader is
 * slow), and the session learns when everything written has been taken. A stream that fails is
 * the process's broken pipe: it gets SIGPIPE (SIGHUP for a terminal that went away), and what it
 * writes there later is dropped, acknowledged at once.
 */
export class OutputSinks {
  readonly stdout: Writable;
  private readonly sinks: [Sink, Sink];
  /** Writes not yet completed (their callbacks not called). */
  private inflight = 0;
  private waiters: Array<() => void> = [];

  constructor(
    stdout: Writable,
    stderr: Writable,
    private readonly ack: (bytes: number) => void,
    signal: (signo: number) => void,
  ) {
    this.stdout = stdout;
    const sink = (stream: Writable): Sink => {
      const s: Sink = {
        stream,
        broken: false,
        onError: (error) => {
          if (s.broken) return;
          s.broken = true;
          signal(error.code === 'EIO' ? SIGHUP : SIGPIPE);
        },
      };
      stream.on('error', s.onError);
      return s;
    };
    const out = sink(stdout);
    this.sinks = [out, stderr === stdout ? out : sink(stderr)];
  }

  /** Writes a piece of stdout (or stderr) output. */
  write(toStderr: boolean, payload: Buffer): void {
    if (payload.length === 0) return;
    const sink = this.sinks[toStderr ? 1 : 0];
    if (sink.broken) {
      this.ack(payload.length);
      return;
    }
    this.inflight++;
    sink.stream.write(payload, () => {
      this.ack(payload.length);
      this.inflight--;
      if (this.inflight > 0) return;
      const waiters = this.waiters;
      this.waiters = [];
      for (const waiter of waiters) waiter();
    });
  }

  /** Calls `done` once every write made so far has completed. */
  whenWritten(done: () => void): void {
    if (this.inflight === 0) done();
    else this.waiters.push(done);
  }

  /** Leaves the streams without this session's listeners. */
  detach(): void {
    for (const sink of new Set(this.sinks)) sink.stream.removeListener('error', sink.onError);
  }
}
