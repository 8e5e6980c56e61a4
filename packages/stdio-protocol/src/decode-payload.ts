import { SandboxError, type ExitStatus } from '@vsb/core';

function expectLength(payload: Uint8Array, length: number, what: string): Buffer {
  if (payload.length !== length) {
    throw new SandboxError('VSB_PROTOCOL', `${what} payload of ${payload.length} bytes, expected ${length}`);
  }
  return Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.length);
}

/**
 * The EXIT payload as an {@link ExitStatus}: `{ code }` when the signal field is 0, else `{ signal }`
 * (the guest sends code 0 then). A payload that is not 8 bytes is a protocol error.
 */
export function decodeExit(payload: Uint8Array): ExitStatus {
  const buffer = expectLength(payload, 8, 'EXIT');
  const code = buffer.readUInt32BE(0);
  const signal = buffer.readUInt32BE(4);
  return signal === 0 ? { code } : { signal };
}

/** The WINSIZE payload (guest side; tests): rows and cols. */
export function decodeWinsize(payload: Uint8Array): { rows: number; cols: number } {
  const buffer = expectLength(payload, 4, 'WINSIZE');
  return { rows: buffer.readUInt16BE(0), cols: buffer.readUInt16BE(2) };
}

/** The SIGNAL payload (guest side; tests): the signal number. */
export function decodeSignal(payload: Uint8Array): number {
  return expectLength(payload, 4, 'SIGNAL').readUInt32BE(0);
}

/**
 * The ERROR payload as a one-line message: UTF-8, with control characters (a stray newline, escape
 * sequences) replaced by spaces so a guest cannot break or paint the host's terminal, and trimmed.
 */
export function decodeError(payload: Uint8Array): string {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.length)
    .toString('utf8')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
}

/** The ACK payload: the number of bytes acknowledged. */
export function decodeAck(payload: Uint8Array): number {
  return expectLength(payload, 4, 'ACK').readUInt32BE(0);
}
