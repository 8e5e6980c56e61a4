import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { decodeAck, encodeAck, encodeFrame, FrameDecoder, FrameType, OUTPUT_WINDOW, SYNC_ACK, SYNC_REQUEST, type Frame } from '../../src';

/** What the fake guest received, in order (payloads copied; the host's ACKs are not kept). */
export interface ReceivedFrame {
  readonly type: number;
  readonly stream: number;
  readonly payload: Buffer;
}

/** Options of {@link FakeGuest}. */
export interface FakeGuestOptions {
  /** Bytes written before the handshake, as a tty echo or boot noise would be (must not hold 0x1C). */
  readonly junk?: Buffer;
  /** Called for every frame after the handshake. */
  readonly onFrame?: (frame: ReceivedFrame, guest: FakeGuest) => void;
  /** Also write these bytes right behind the 0x1C answer, in the same write. */
  readonly afterAck?: Buffer;
  /** Wait this long before answering the first 0x1B. */
  readonly ackDelayMs?: number;
  /** Never answer the handshake. */
  readonly mute?: boolean;
  /** End the stream once QUIT arrived (what the real init does after syncing). Default true. */
  readonly exitOnQuit?: boolean;
  /** Acknowledge each STDIN frame as it arrives (the real init does once the app took it). Default true. */
  readonly ackStdin?: boolean;
}

/**
 * The guest init's side of the protocol, in TypeScript, over one end of a duplex: answers the
 * handshake as docs/PROTOCOL.md says, records every frame, acknowledges STDIN, and writes output
 * within the output window (waiting for the host's ACKs) and with backpressure.
 */
export class FakeGuest {
  readonly frames: ReceivedFrame[] = [];
  /** Output bytes of stream 0 the host has not acknowledged, and the most there ever were. */
  unacked = 0;
  maxUnacked = 0;
  private windowWaiters: Array<() => void> = [];
  /** sendData waits for the host's ACKs: the output window is full. */
  private blocked = false;
  private blockedWaiters: Array<() => void> = [];
  /** Count of 0x1B bytes read before answering. */
  syncRequests = 0;
  private state: 'wait-req' | 'wait-ack' | 'frames' = 'wait-req';
  private readonly decoder = new FrameDecoder();
  private readonly waiters: Array<{ type: number; resolve: (f: ReceivedFrame) => void }> = [];

  constructor(
    readonly stream: Duplex,
    private readonly options: FakeGuestOptions = {},
  ) {
    if (options.junk) stream.write(options.junk);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('error', () => undefined);
  }

  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && this.state !== 'frames') {
      const byte = chunk[offset++]!;
      if (this.state === 'wait-req') {
        if (byte !== SYNC_REQUEST) continue;
        this.syncRequests++;
        if (this.options.mute) continue;
        this.state = 'wait-ack';
        const answer = this.options.afterAck ? Buffer.concat([Buffer.from([SYNC_ACK]), this.options.afterAck]) : Buffer.from([SYNC_ACK]);
        if (this.options.ackDelayMs) setTimeout(() => this.stream.write(answer), this.options.ackDelayMs);
        else this.stream.write(answer);
      } else if (byte === SYNC_ACK) {
        this.state = 'frames';
      }
    }
    if (this.state !== 'frames' || offset >= chunk.length) return;
    this.decoder.push(chunk.subarray(offset), (frame: Frame) => this.onFrame(frame));
  }

  private onFrame(frame: Frame): void {
    if (frame.type === FrameType.ACK) {
      this.unacked -= decodeAck(frame.payload);
      for (const waiter of this.windowWaiters.splice(0)) waiter();
      return;
    }
    if (frame.type === FrameType.STDIN && frame.payload.length > 0 && this.options.ackStdin !== false) {
      this.stream.write(encodeAck(frame.payload.length, frame.stream));
    }
    const received = { type: frame.type, stream: frame.stream, payload: Buffer.from(frame.payload) };
    this.frames.push(received);
    for (let i = 0; i < this.waiters.length; i++) {
      if (this.waiters[i]!.type === frame.type) {
        this.waiters.splice(i, 1)[0]!.resolve(received);
        break;
      }
    }
    this.options.onFrame?.(received, this);
    if (frame.type === FrameType.QUIT && this.options.exitOnQuit !== false) this.stream.end();
  }

  /** Resolves with the next frame of `type` (or the first one already received when `past`). */
  next(type: number, past = true): Promise<ReceivedFrame> {
    const seen = past ? this.frames.find((f) => f.type === type) : undefined;
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  /** Writes raw bytes; resolves once the stream accepted them (after 'drain' when needed). */
  async write(bytes: Buffer): Promise<void> {
    if (!this.stream.write(bytes)) await once(this.stream, 'drain');
  }

  /** Resolves once {@link sendData} waits for the host's ACKs (at once while it does): the output window is full. */
  windowFull(): Promise<void> {
    if (this.blocked) return Promise.resolve();
    return new Promise((resolve) => this.blockedWaiters.push(resolve));
  }

  /** Writes `data` as frames of `type`, at most `chunk` bytes each, within the output window and with backpressure. */
  async sendData(type: number, data: Buffer, chunk = 65536): Promise<void> {
    for (let offset = 0; offset < data.length; offset += chunk) {
      const piece = data.subarray(offset, Math.min(offset + chunk, data.length));
      while (this.unacked + piece.length > OUTPUT_WINDOW) {
        this.blocked = true;
        for (const waiter of this.blockedWaiters.splice(0)) waiter();
        await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
        this.blocked = false;
      }
      this.unacked += piece.length;
      this.maxUnacked = Math.max(this.maxUnacked, this.unacked);
      await this.write(encodeFrame(type as FrameType, piece));
    }
  }
}
