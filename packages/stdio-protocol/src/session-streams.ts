import type { Duplex } from 'node:stream';
import { SandboxError } from '@vsb/core';
import type { Frame } from './frame-decoder';
import { flushed } from './flushed';

/** Whoever speaks for one stream of a session other than its own (the keeper's relay of a `vsb exec`). */
export interface StreamHandler {
  /** A frame of the stream from the guest (a STDOUT/STDERR piece is valid until the next chunk). */
  frame(frame: Frame): void;
  /** The channel ended: no frame of the stream comes any more (nor its EXIT, if it had not come). */
  ended(): void;
}

/**
 * The other streams of a session's channel: processes the host starts beside the app with EXEC
 * (`vsb exec`), each a stream id of its own whose frames go to its handler.
 */
export interface SessionStreams {
  /** Whether descriptors can go to the guest with a frame (socket-rpc's unix socket). */
  readonly passesDescriptors: boolean;
  /** Routes the stream's frames from the guest to `handler` until {@link close}. */
  open(stream: number, handler: StreamHandler): void;
  close(stream: number): void;
  /** Sends a frame (encoded with its stream id); dropped once the channel ended. */
  send(frame: Buffer): void;
  /**
   * Sends `frame` with `fds` attached (SCM_RIGHTS) once everything written before it has left,
   * and `then` directly behind it (a STDIO_FDS frame and its EXEC must not be parted).
   */
  sendWithDescriptors(frame: Buffer, fds: readonly number[], then: Buffer): Promise<void>;
}

/** Sends one frame with descriptors on the channel's socket (socket-rpc); its write queue is empty then. */
export type DescriptorSender = (frame: Buffer, fds: readonly number[]) => void;

/** {@link SessionStreams} over a session's channel. */
export class StreamRoutes implements SessionStreams {
  private readonly handlers = new Map<number, StreamHandler>();
  private done = false;

  constructor(
    private readonly channel: Duplex,
    private readonly descriptors?: DescriptorSender,
  ) {}

  get passesDescriptors(): boolean {
    return this.descriptors !== undefined;
  }

  open(stream: number, handler: StreamHandler): void {
    if (this.done) handler.ended();
    else this.handlers.set(stream, handler);
  }

  close(stream: number): void {
    this.handlers.delete(stream);
  }

  send(frame: Buffer): void {
    if (!this.done && !this.channel.destroyed && !this.channel.writableEnded) this.channel.write(frame);
  }

  async sendWithDescriptors(frame: Buffer, fds: readonly number[], then: Buffer): Promise<void> {
    const send = this.descriptors;
    if (!send) throw new SandboxError('VSB_INTERNAL', 'this transport cannot pass descriptors');
    // Other streams may write meanwhile: only an empty queue lets the descriptors go in order.
    while (this.channel.writableLength > 0) await flushed(this.channel);
    if (this.done) throw new SandboxError('VSB_GUEST', 'the sandbox ended');
    send(frame, fds);
    this.channel.write(then);
  }

  /** A frame of a stream other than the session's own; one nobody speaks for is dropped. */
  dispatch(frame: Frame): void {
    this.handlers.get(frame.stream)?.frame(frame);
  }

  /** The channel ended: every handler is told, and later ones at once. */
  end(): void {
    if (this.done) return;
    this.done = true;
    const handlers = [...this.handlers.values()];
    this.handlers.clear();
    for (const handler of handlers) handler.ended();
  }
}
