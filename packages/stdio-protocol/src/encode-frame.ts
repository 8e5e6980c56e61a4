import { FrameType, HEADER_SIZE, MAX_PAYLOAD, MAX_STREAM, isFrameType } from './frame-type';

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length > MAX_PAYLOAD) {
    throw new RangeError(`frame length ${length} exceeds ${MAX_PAYLOAD}`);
  }
}

function checkType(type: number): void {
  if (!isFrameType(type)) throw new RangeError(`unknown frame type ${type}`);
}

function checkStream(stream: number): void {
  if (!Number.isInteger(stream) || stream < 0 || stream > MAX_STREAM) throw new RangeError(`stream ${stream} out of range 0..${MAX_STREAM}`);
}

function putHeader(header: Buffer, type: FrameType, length: number, stream: number): void {
  header.writeUInt32BE(stream, 0);
  header[0] = type;
  header.writeUInt32BE(length, 4);
}

/** The 8-byte header of a frame: type, u24 stream id, u32 BE payload length. */
export function encodeHeader(type: FrameType, length: number, stream = 0): Buffer {
  checkType(type);
  checkLength(length);
  checkStream(stream);
  const header = Buffer.alloc(HEADER_SIZE);
  putHeader(header, type, length, stream);
  return header;
}

/**
 * One whole frame in a new buffer (header and payload copied together). Meant for small frames;
 * big payloads go out with {@link writeFrame}, which writes header and payload without joining them.
 */
export function encodeFrame(type: FrameType, payload: Uint8Array = new Uint8Array(0), stream = 0): Buffer {
  checkType(type);
  checkLength(payload.length);
  checkStream(stream);
  const frame = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  putHeader(frame, type, payload.length, stream);
  frame.set(payload, HEADER_SIZE);
  return frame;
}

/** A STDIN frame; an empty `data` is the EOF marker (see {@link encodeStdinEof}). */
export function encodeStdin(data: Uint8Array, stream = 0): Buffer {
  return encodeFrame(FrameType.STDIN, data, stream);
}

/** The zero-length STDIN frame: the process's stdin reached EOF (in tty mode the guest sends ^D). */
export function encodeStdinEof(stream = 0): Buffer {
  return encodeFrame(FrameType.STDIN, undefined, stream);
}

function u16(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`${what} ${value} out of range 0..65535`);
  return value;
}

function u32Payload(value: number, what: string): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${what} ${value} out of range 0..4294967295`);
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(value, 0);
  return payload;
}

/** A WINSIZE frame: `u16 BE rows`, `u16 BE cols` (the guest sets them on the process's pty). */
export function encodeWinsize(rows: number, cols: number, stream = 0): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt16BE(u16(rows, 'rows'), 0);
  payload.writeUInt16BE(u16(cols, 'cols'), 2);
  return encodeFrame(FrameType.WINSIZE, payload, stream);
}

/** A SIGNAL frame: `u32 BE signo`, which the guest delivers to the process group of the stream. */
export function encodeSignal(signo: number, stream = 0): Buffer {
  return encodeFrame(FrameType.SIGNAL, u32Payload(signo, 'signal'), stream);
}

/** An ACK frame: `u32 BE bytes` of the stream's data delivered, which the sender may send again. */
export function encodeAck(bytes: number, stream = 0): Buffer {
  return encodeFrame(FrameType.ACK, u32Payload(bytes, 'ack'), stream);
}

/** The START frame: the guest starts the app only on it, after WINSIZE. */
export function encodeStart(): Buffer {
  return encodeFrame(FrameType.START);
}

/** A STDIO_FDS frame: `mask` tells which of stdin (1), stdout (2), stderr (4) come attached, in that order. */
export function encodeStdioFds(mask: number, stream = 0): Buffer {
  if (!Number.isInteger(mask) || mask < 1 || mask > 7) throw new RangeError(`stdio fd mask ${mask} out of range 1..7`);
  return encodeFrame(FrameType.STDIO_FDS, Buffer.from([mask]), stream);
}

/** The QUIT frame: the host has written all output; the guest syncs and exits. */
export function encodeQuit(): Buffer {
  return encodeFrame(FrameType.QUIT);
}

/** An EXIT frame (guest side; for fake guests in tests): `u32 BE code`, `u32 BE signal`. */
export function encodeExit(code: number, signal = 0, stream = 0): Buffer {
  return encodeFrame(FrameType.EXIT, Buffer.concat([u32Payload(code, 'exit code'), u32Payload(signal, 'signal')]), stream);
}

/** The STARTED frame (guest side; for fake guests in tests): the process runs. */
export function encodeStarted(stream = 0): Buffer {
  return encodeFrame(FrameType.STARTED, undefined, stream);
}

/** An ERROR frame (guest side; for fake guests in tests): the UTF-8 message. */
export function encodeError(message: string, stream = 0): Buffer {
  return encodeFrame(FrameType.ERROR, Buffer.from(message, 'utf8'), stream);
}

/** What an EXEC frame starts. Bytes reach the process as given (no text decoding on the way). */
export interface ExecSpec {
  /** The command and its arguments (at least one). */
  readonly argv: readonly Uint8Array[];
  /** `KEY=VALUE` entries applied over the app's environment, in order (a later KEY wins). */
  readonly env?: readonly Uint8Array[];
  /** An absolute directory it must start in (default: where the app starts). */
  readonly cwd?: Uint8Array;
  /** On a pty of its own, of `rows` x `cols`; with `splitStderr`, its stderr stays a pipe. */
  readonly tty?: boolean;
  readonly splitStderr?: boolean;
  readonly rows?: number;
  readonly cols?: number;
}

/**
 * An EXEC frame: NUL-terminated records `arg=`, `env=`, `cwd=`, `tty=1`, `splitstderr=1`,
 * `rows=`, `cols=`. A spec beyond {@link MAX_PAYLOAD} is a RangeError (its caller says what to cut).
 */
export function encodeExec(spec: ExecSpec, stream: number): Buffer {
  if (stream === 0) throw new RangeError('EXEC needs a stream other than 0');
  if (spec.argv.length === 0) throw new RangeError('EXEC needs a command');
  const record = (key: string, value: Uint8Array | string): Buffer[] => [Buffer.from(`${key}=`), Buffer.from(value), Buffer.alloc(1)];
  const records = [...spec.argv.flatMap((a) => record('arg', a)), ...(spec.env ?? []).flatMap((e) => record('env', e))];
  if (spec.cwd) records.push(...record('cwd', spec.cwd));
  if (spec.tty) {
    records.push(...record('tty', '1'), ...record('rows', String(u16(spec.rows ?? 0, 'rows'))), ...record('cols', String(u16(spec.cols ?? 0, 'cols'))));
    if (spec.splitStderr) records.push(...record('splitstderr', '1'));
  }
  return encodeFrame(FrameType.EXEC, Buffer.concat(records), stream);
}
