/**
 * Frame types of the stdio protocol, version 2 (docs/PROTOCOL.md). The numbers are the wire values;
 * the C init uses the same ones, and docs/protocol-vectors.json pins both sides to them.
 */
export const FrameType = {
  /** host -> guest: bytes for the app's stdin; an empty payload is EOF. */
  STDIN: 1,
  /** guest -> host: bytes the app wrote to stdout (in tty mode, the pty's output). */
  STDOUT: 2,
  /** guest -> host: bytes the app wrote to stderr (pipe mode only). */
  STDERR: 3,
  /** guest -> host: `u32 code`, `u32 signal`; sent after the app exited and its outputs reached EOF. */
  EXIT: 4,
  /** host -> guest: everything was written out; the guest syncs and exits. */
  QUIT: 5,
  /** host -> guest: `u16 rows`, `u16 cols`. */
  WINSIZE: 6,
  /** host -> guest: `u32 signo`, for the app's process group. */
  SIGNAL: 7,
  /** host -> guest: start the app (once, after the handshake). */
  START: 8,
  /** guest -> host: a one-line UTF-8 message: the init itself failed. */
  ERROR: 9,
  /**
   * host -> guest, before START, on a unix socket only: `u8 mask` of the app's stdin (1), stdout (2)
   * and stderr (4) whose host descriptors come attached to this frame (SCM_RIGHTS).
   */
  STDIO_FDS: 10,
  /** guest -> host: empty: the app's exec succeeded, it runs (not sent when it never ran). */
  STARTED: 11,
  /**
   * host -> guest, on a stream other than 0: start another process as the app is started
   * (`vsb exec`): NUL-terminated `KEY=VALUE` records (see {@link encodeExec}).
   */
  EXEC: 12,
  /** either way: `u32 bytes` of the stream's data delivered (STDIN by the guest, STDOUT/STDERR by the host). */
  ACK: 13,
} as const;

/** One of the {@link FrameType} wire values. */
export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** Largest payload a frame may carry (256 KiB); a longer length is a protocol error. */
export const MAX_PAYLOAD = 262144;

/** Size of a frame header: u8 type, u24 BE stream id, u32 BE payload length. */
export const HEADER_SIZE = 8;

/** The largest stream id (u24); stream 0 is the app, the others processes started with EXEC. */
export const MAX_STREAM = 0xffffff;

/** STDIN bytes of one stream the host may send that the guest has not acknowledged; more is a protocol error. */
export const STDIN_WINDOW = 262144;

/** STDOUT/STDERR bytes of one stream the guest sends at most before the host acknowledges them. */
export const OUTPUT_WINDOW = 1048576;

/** The byte the host repeats until the guest answers (SYNC-REQ). */
export const SYNC_REQUEST = 0x1b;

/** The byte each side sends once to end the handshake (SYNC-ACK). */
export const SYNC_ACK = 0x1c;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(FrameType).map(([name, value]) => [value, name]));

/** True for the wire values 1..13 that protocol version 2 defines. */
export function isFrameType(value: number): value is FrameType {
  return NAMES[value] !== undefined;
}

/** Payload length of the types whose payload has one size (the header alone shows a bad one). */
export const FIXED_LENGTH: Readonly<Partial<Record<number, number>>> = {
  [FrameType.EXIT]: 8,
  [FrameType.WINSIZE]: 4,
  [FrameType.SIGNAL]: 4,
  [FrameType.ACK]: 4,
  [FrameType.QUIT]: 0,
  [FrameType.START]: 0,
  [FrameType.STARTED]: 0,
  [FrameType.STDIO_FDS]: 1,
};

/** The name of a frame type ('STDOUT'), or `type N` for an unknown value; for messages. */
export function frameTypeName(type: number): string {
  return NAMES[type] ?? `type ${type}`;
}
