import type { Readable, Writable } from 'node:stream';
import { encodeStdinEof } from './encode-frame';
import { FrameType, STDIN_WINDOW } from './frame-type';
import { writeFrame } from './write-frame';

/**
 * A host stdin carried to a process as STDIN frames of its stream, at most {@link STDIN_WINDOW}
 * bytes ahead of what the guest acknowledged (and no faster than the channel takes them), so a
 * process that does not read holds up its own input only, never the channel. The stream's end
 * (or failure, which the process sees as EOF too) becomes the empty STDIN frame.
 */
export class StdinPump {
  /** Bytes sent in STDIN frames. */
  sent = 0;
  private queue: Buffer[] = [];
  private unacked = 0;
  private reading = false;
  private ended = false;
  private eofSent = false;
  private stopped = false;
  private waitingDrain = false;

  constructor(
    private readonly stdin: Readable,
    private readonly channel: Writable,
    private readonly stream: number,
  ) {}

  /** Starts reading (once the process may get input). */
  start(): void {
    if (this.stdin.readableEnded) {
      this.ended = true;
      this.pump();
      return;
    }
    this.reading = true;
    this.stdin.on('data', this.onData);
    this.stdin.once('end', this.onEnd);
    this.stdin.on('error', this.onEnd);
    this.stdin.resume();
  }

  /** The guest took `bytes` more of it (ACK). */
  acked(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    this.pump();
  }

  /** Sends nothing more; leaves the stdin as it was, minus the listeners: paused, so it keeps nothing alive. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.channel.removeListener('drain', this.onDrain);
    this.waitingDrain = false;
    this.detach();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0 || this.stopped) return;
    this.queue.push(data);
    this.pump();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.detach();
    this.pump();
  };

  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    this.pump();
  };

  private pump(): void {
    if (this.stopped || this.channel.destroyed || this.channel.writableEnded) return;
    while (this.queue.length > 0 && this.unacked < STDIN_WINDOW && !this.waitingDrain) {
      const head = this.queue[0]!;
      const piece = head.subarray(0, STDIN_WINDOW - this.unacked);
      if (piece.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(piece.length);
      this.unacked += piece.length;
      this.sent += piece.length;
      if (!writeFrame(this.channel, FrameType.STDIN, piece, this.stream)) {
        this.waitingDrain = true;
        this.channel.once('drain', this.onDrain);
      }
    }
    if (this.queue.length > 0 || this.waitingDrain) {
      if (this.reading) this.stdin.pause();
    } else if (this.reading) {
      this.stdin.resume();
    } else if (this.ended && !this.eofSent) {
      this.eofSent = true;
      this.channel.write(encodeStdinEof(this.stream));
    }
  }

  private detach(): void {
    if (!this.reading) return;
    this.reading = false;
    this.stdin.removeListener('data', this.onData);
    this.stdin.removeListener('end', this.onEnd);
    this.stdin.removeListener('error', this.onEnd);
    if (!this.stdin.readableEnded) this.stdin.pause();
  }
}
