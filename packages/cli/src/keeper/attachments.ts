import type net from 'node:net';
import type { Writable } from 'node:stream';
import type { ExitStatus } from '@vsb/core';
import { encodeAck, encodeError, encodeExit, FrameType, writeFrame, decodeWinsize, type Frame } from '@vsb/stdio-protocol';
import { readClientFrames } from './client-frames';
import type { StreamConnection } from './control-socket';

/** How far behind the app's output a `vsb attach` may fall before it is dropped (the app never waits for one). */
const MAX_BEHIND = 4 * 1024 * 1024;

/**
 * The `vsb attach` connections of a detached sandbox: each gets the app's output from the
 * moment it came as STDOUT/STDERR frames of stream 0, and EXIT when the app ends. On a pty their
 * input goes to the app's terminal and their size becomes its size; otherwise the app's stdin is
 * /dev/null and input is dropped. The log gets the output whatever they do: an attach that
 * falls more than 4 MiB behind is dropped rather than holding the app back. Leaving (Ctrl-])
 * is just closing the connection.
 */
export class Attachments {
  private readonly clients = new Set<net.Socket>();

  constructor(
    private readonly appStdin: Writable | undefined,
    private readonly resize: (rows: number, cols: number) => void,
  ) {}

  add(connection: StreamConnection): void {
    const { socket } = connection;
    this.clients.add(socket);
    readClientFrames(
      connection,
      (frame) => this.fromClient(socket, frame),
      () => this.clients.delete(socket),
    );
  }

  /** A chunk of the app's stdout or stderr, for every client. */
  output(type: typeof FrameType.STDOUT | typeof FrameType.STDERR, chunk: Buffer): void {
    for (const client of this.clients) {
      if (client.writableLength > MAX_BEHIND) client.destroy();
      else writeFrame(client, type, chunk);
    }
  }

  /** The app ended: its status (or the error that ended the sandbox) to every client, which is then let go. */
  end(outcome: ExitStatus | Error): void {
    const last =
      outcome instanceof Error
        ? Buffer.concat([encodeError(outcome.message), encodeExit(1)])
        : outcome.signal === undefined
          ? encodeExit(outcome.code)
          : encodeExit(0, outcome.signal);
    for (const client of this.clients) client.end(last);
    this.clients.clear();
  }

  private fromClient(socket: net.Socket, frame: Frame): void {
    if (frame.stream !== 0) return;
    if (frame.type === FrameType.WINSIZE) {
      const { rows, cols } = decodeWinsize(frame.payload);
      this.resize(rows, cols);
    } else if (frame.type === FrameType.STDIN && frame.payload.length > 0) {
      // An attach's own EOF does not end the app's input: another one may come.
      const n = frame.payload.length;
      const ack = (): void => void socket.write(encodeAck(n));
      if (!this.appStdin) {
        ack();
        return;
      }
      if (!this.appStdin.write(frame.payload, ack)) {
        socket.pause();
        this.appStdin.once('drain', () => socket.resume());
      }
    }
  }
}
