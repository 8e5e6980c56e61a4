import { FrameType, HEADER_SIZE, MAX_PAYLOAD, isFrameType } from './frame-type';

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > MAX_PAYLOAD) {
    throw new RangeError(`frame length ${length} exceeds ${MAX_PAYLOAD}`);
  }
}

function checkType(type: number): void {
  if (!isFrameType(type)) throw new RangeError(`unknown frame type ${type}`);
}

/** The 8-byte header of a frame: type, three zero bytes, u32 BE payload length. */
export function encodeHeader(type: FrameType, length: number): Buffer {
  checkType(type);
  checkLength(length);
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = type;
  header.writeUInt32BE(length, 4);
  return header;
}

/**
 * One whole frame in a new buffer (header and payload copied together). Meant for small frames;
 * big payloads go out with {@link writeFrame}, which writes header and payload without joining them.
 */
export function encodeFrame(type: FrameType, payload: Uint8Array = new Uint8Array(0)): Buffer {
  checkType(type);
  checkLength(payload.length);
  const frame = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  frame[0] = type;
  frame[1] = 0;
  frame[2] = 0;
  frame[3] = 0;
  frame.writeUInt32BE(payload.length, 4);
  frame.set(payload, HEADER_SIZE);
  return frame;
}

/** A STDIN frame; an empty `data` is the EOF marker (see {@link encodeStdinEof}). */
export function encodeStdin(data: Uint8Array): Buffer {
  return encodeFrame(FrameType.STDIN, data);
}

/** The zero-length STDIN frame: the app's stdin reached EOF (in tty mode the guest sends ^D). */
export function encodeStdinEof(): Buffer {
  return encodeFrame(FrameType.STDIN);
}

function u16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value} out of range 0..65535`);
  return value;
}

function u32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${what} ${value} out of range 0..4294967295`);
  return value;
}

/** A WINSIZE frame: `u16 BE rows`, `u16 BE cols` (the guest sets them on the app's pty). */
export function encodeWinsize(rows: number, cols: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt16BE(u16(rows, 'rows'), 0);
  payload.writeUInt16BE(u16(cols, 'cols'), 2);
  return encodeFrame(FrameType.WINSIZE, payload);
}

/** A SIGNAL frame: `u32 BE signo`, which the guest delivers to the app's process group. */
export function encodeSignal(signo: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(u32(signo, 'signal'), 0);
  return encodeFrame(FrameType.SIGNAL, payload);
}

/** The START frame: the guest starts the app only on it, after WINSIZE. */
export function encodeStart(): Buffer {
  return encodeFrame(FrameType.START);
}

/** A STDIO_FDS frame: `mask` tells which of stdin (1), stdout (2), stderr (4) come attached, in that order. */
export function encodeStdioFds(mask: number): Buffer {
  if (!Number.isInteger(mask) || mask < 1 || mask > 7) throw new RangeError(`stdio fd mask ${mask} out of range 1..7`);
  return encodeFrame(FrameType.STDIO_FDS, Buffer.from([mask]));
}

/** The QUIT frame: the host has written all output; the guest syncs and exits. */
export function encodeQuit(): Buffer {
  return encodeFrame(FrameType.QUIT);
}

/** An EXIT frame (guest side; for fake guests in tests): `u32 BE code`, `u32 BE signal`. */
export function encodeExit(code: number, signal = 0): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeUInt32BE(u32(code, 'exit code'), 0);
  payload.writeUInt32BE(u32(signal, 'signal'), 4);
  return encodeFrame(FrameType.EXIT, payload);
}

/** The STARTED frame (guest side; for fake guests in tests): the app runs. */
export function encodeStarted(): Buffer {
  return encodeFrame(FrameType.STARTED);
}

/** An ERROR frame (guest side; for fake guests in tests): the UTF-8 message. */
export function encodeError(message: string): Buffer {
  return encodeFrame(FrameType.ERROR, Buffer.from(message, 'utf8'));
}
