import type net from 'node:net';
import { constants as osConstants } from 'node:os';
import {
  decodeAck,
  encodeAck,
  encodeError,
  encodeFrame,
  encodeSignal,
  encodeStdioFds,
  FrameType,
  STDIN_WINDOW,
  type Frame,
  type SessionStreams,
  type StreamHandler,
} from '@vsb/stdio-protocol';
import { readClientFrames, refuseClient } from './client-frames';
import { closeDescriptors } from './close-descriptors';
import type { StreamConnection } from './control-socket';

/** The stream a `vsb exec` speaks on to its keeper; the keeper puts it on a stream of its own with the guest. */
export const EXEC_CLIENT_STREAM = 1;

/**
 * One `vsb exec` in the keeper: its connection (stream 1 on it) is the guest's stream `id`. Frames
 * pass both ways with only their stream changed, ACKs included, so the protocol's windows hold
 * end to end and nothing piles up here. Its EXEC goes to the guest behind its descriptors
 * (STDIO_FDS, on socket-rpc). A `vsb exec` that goes away before the EXIT takes its process with
 * it (SIGKILL), whose output is then acknowledged and dropped until that EXIT.
 */
export class ExecRelay implements StreamHandler {
  private readonly client: net.Socket;
  private fds: readonly number[];
  private started = false;
  /** STDIN bytes passed on that the guest has not acknowledged: a client beyond the window would break the channel for all. */
  private stdinUnacked = 0;
  private clientGone = false;
  private done = false;

  constructor(
    connection: StreamConnection,
    private readonly mask: number,
    private readonly streams: SessionStreams,
    private readonly id: number,
    private readonly onDone: () => void,
  ) {
    this.client = connection.socket;
    this.fds = connection.fds;
    streams.open(id, this);
    readClientFrames(
      connection,
      (frame) => this.fromClient(frame),
      () => this.leave(),
    );
  }

  frame(frame: Frame): void {
    if (frame.type === FrameType.EXIT) this.finish();
    if (frame.type === FrameType.ACK) this.stdinUnacked -= Math.min(this.stdinUnacked, decodeAck(frame.payload));
    if (!this.clientGone) {
      this.client.write(encodeFrame(frame.type, frame.payload, EXEC_CLIENT_STREAM));
      if (this.done) this.client.end();
    } else if (frame.type === FrameType.STDOUT || frame.type === FrameType.STDERR) {
      this.streams.send(encodeAck(frame.payload.length, this.id));
    }
  }

  ended(): void {
    this.closeFds();
    if (this.done) return;
    this.finish();
    if (this.clientGone) return;
    this.client.end(encodeError('the sandbox ended before the command reported its exit status', EXEC_CLIENT_STREAM));
  }

  private fromClient(frame: Frame): void {
    if (this.done || frame.stream !== EXEC_CLIENT_STREAM) return;
    switch (frame.type) {
      case FrameType.EXEC:
        if (!this.started) this.start(frame);
        return;
      case FrameType.STDIN:
        this.stdinUnacked += frame.payload.length;
        // Its process is killed as for a client that went away (leave()).
        if (this.stdinUnacked > STDIN_WINDOW) this.client.destroy();
        else if (this.started) this.streams.send(encodeFrame(frame.type, frame.payload, this.id));
        return;
      case FrameType.WINSIZE:
      case FrameType.SIGNAL:
      case FrameType.ACK:
        if (this.started) this.streams.send(encodeFrame(frame.type, frame.payload, this.id));
    }
  }

  private start(frame: Frame): void {
    this.started = true;
    const exec = encodeFrame(FrameType.EXEC, frame.payload, this.id);
    if (this.fds.length !== [1, 2, 4].filter((bit) => this.mask & bit).length) {
      this.refuse(`the request named ${this.mask} as its descriptors' mask, but ${this.fds.length} came with it`);
      return;
    }
    if (this.mask === 0) {
      this.closeFds();
      this.streams.send(exec);
      return;
    }
    if (!this.streams.passesDescriptors) {
      this.refuse("this sandbox cannot take vsb exec's descriptors: its console transport relays stdio");
      return;
    }
    this.streams.sendWithDescriptors(encodeStdioFds(this.mask, this.id), this.fds, exec).then(
      () => this.closeFds(),
      () => this.ended(),
    );
  }

  private refuse(message: string): void {
    this.closeFds();
    this.finish();
    refuseClient(this.client, EXEC_CLIENT_STREAM, message);
  }

  private leave(): void {
    this.clientGone = true;
    this.closeFds();
    if (this.done) return;
    if (this.started) this.streams.send(encodeSignal(osConstants.signals.SIGKILL, this.id));
    else this.finish();
  }

  /** The stream is over (its EXIT came, or it never began): the id may serve another exec. */
  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.streams.close(this.id);
    this.onDone();
  }

  /** The keeper's copies: the guest has its own once they were sent. */
  private closeFds(): void {
    closeDescriptors(this.fds);
    this.fds = [];
  }
}
