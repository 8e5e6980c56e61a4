import type net from 'node:net';
import { encodeError, encodeExit, FrameDecoder, FrameType, type Frame } from '@vsb/stdio-protocol';
import type { StreamConnection } from './control-socket';

/**
 * Decodes the frames a `vsb exec` or `vsb attach` sends after its request line, from the bytes
 * that came with the line on, until it goes away (`onGone`, once; a protocol error drops it too).
 * STDIN is streamed in pieces, as it came, so nothing waits for a whole frame.
 */
export function readClientFrames(connection: StreamConnection, onFrame: (frame: Frame) => void, onGone: () => void): void {
  const { socket } = connection;
  const decoder = new FrameDecoder({ streamTypes: [FrameType.STDIN] });
  let gone = false;
  const leave = (): void => {
    if (gone) return;
    gone = true;
    socket.destroy();
    onGone();
  };
  const push = (chunk: Buffer): void => {
    try {
      decoder.push(chunk, onFrame);
    } catch {
      leave();
    }
  };
  socket.on('data', push);
  socket.once('close', leave);
  socket.on('error', leave);
  if (connection.rest.length > 0) push(connection.rest);
  if (!gone) socket.resume();
}

/** Ends a client's connection with what the keeper cannot do for it: ERROR, then EXIT 1 (vsb prints `vsb: MESSAGE`, exits 1). */
export function refuseClient(socket: net.Socket, stream: number, message: string): void {
  socket.end(Buffer.concat([encodeError(message, stream), encodeExit(1, 0, stream)]));
}
